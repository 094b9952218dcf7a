/**
 * Sharing: threads that update one variable, the updates they lose, and the JDK's ways of not
 * losing them, with what each costs when many threads want the same variable.
 *
 * <table class="striped">
 * <caption>Which counter for which job</caption>
 * <thead><tr><th>kind</th><th>exact?</th><th>under contention</th><th>use it for</th></tr></thead>
 * <tbody>
 * <tr><td>{@code RACY}</td><td>no</td><td>loses updates</td><td>seeing the race, never in a program</td></tr>
 * <tr><td>{@code SYNCHRONIZED}</td><td>yes</td><td>threads queue for one monitor</td><td>several fields updated together</td></tr>
 * <tr><td>{@code REENTRANT_LOCK}</td><td>yes</td><td>threads queue for one lock</td><td>as synchronized, plus tryLock, timeouts, interruptible waits</td></tr>
 * <tr><td>{@code ATOMIC_LONG}</td><td>yes</td><td>CAS retries, one cache line</td><td>one number read often and exactly</td></tr>
 * <tr><td>{@code LONG_ADDER}</td><td>yes, once the adds end</td><td>spreads over cells</td><td>statistics many threads add to</td></tr>
 * <tr><td>{@code PER_THREAD}</td><td>yes, once the threads end</td><td>nothing is shared</td><td>work split in parts, summed at the end</td></tr>
 * </tbody>
 * </table>
 *
 * <p>{@link concurrencylab.sharing.Counters} runs each kind on threads and checks every total;
 * {@link concurrencylab.sharing.Race} runs a learner's {@link concurrencylab.sharing.Tally};
 * {@link concurrencylab.sharing.PythonRaces} runs the same race in CPython.
 */
package concurrencylab.sharing;
