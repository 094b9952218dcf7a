/**
 * Lesson 10's experiments on visibility: {@link concurrencylab.visibility.JitRace} runs a reader
 * spinning on a flag in a child JVM and notes when the JIT compiled its loop;
 * {@link concurrencylab.visibility.Racer} races two threads over many small objects and counts
 * each outcome, as OpenJDK's jcstress does, into {@link concurrencylab.visibility.Outcomes};
 * {@link concurrencylab.visibility.Guard} tells how a field is made visible (volatile, atomic, one
 * lock on both sides, or nothing), for the lesson's check.
 */
package concurrencylab.visibility;
