/**
 * Deadlock and liveness: threads that wait for each other forever, and how to see, stop and
 * prevent it. {@link concurrencylab.deadlock.LabLock} is a {@code ReentrantLock} whose waits can
 * always be ended from outside; a {@link concurrencylab.deadlock.Handshake} shapes the schedule of
 * a group of them so that a deadlock (or a livelock) happens every time;
 * {@link concurrencylab.deadlock.Deadlocks} finds a cycle with the JDK's
 * {@code ThreadMXBean.findDeadlockedThreads} and describes it as a
 * {@link concurrencylab.deadlock.Deadlock} (a wait-for graph and a thread-dump excerpt);
 * {@link concurrencylab.deadlock.DeadlockDemo} runs bank transfers round a ring of accounts in
 * four ways; {@link concurrencylab.deadlock.TransferCheck} judges lesson 11's exercise.
 *
 * <table class="striped">
 * <caption>Which way to take two locks</caption>
 * <thead><tr><th>way</th><th>deadlock?</th><th>cost</th></tr></thead>
 * <tbody>
 * <tr><td>from, then to</td><td>yes, when two transfers go opposite ways</td><td>none, until it stops for good</td></tr>
 * <tr><td>one global order (a unique key)</td><td>never</td><td>every path must know the order</td></tr>
 * <tr><td>tryLock, release, random back-off</td><td>never; livelock is unlikely</td><td>retries and waits under contention</td></tr>
 * <tr><td>tryLock, release, fixed back-off</td><td>never; threads in step can livelock</td><td>as above, and no bound</td></tr>
 * </tbody>
 * </table>
 */
package concurrencylab.deadlock;
