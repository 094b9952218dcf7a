/**
 * What a lesson's "Your turn" check cell uses to judge the learner's code by what it does:
 * {@link concurrencylab.check.Check} runs the answer, within a time limit and as often as asked,
 * and reports what it returned, what it threw, whether it finished and what it left running;
 * {@link concurrencylab.check.Attempt} is one such run. The verdict itself is a line that starts
 * with "Right" or "Not yet", which {@code ./lab test} reads.
 */
package concurrencylab.check;
