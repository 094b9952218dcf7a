/**
 * Runners: the same work done by N workers under each strategy of the article (one after
 * another, child processes, threads, threads under a simulated GIL, virtual threads), each
 * measured the same way and described by one result type, {@link concurrencylab.runners.Run}.
 *
 * <table class="striped">
 * <caption>Which strategy for which work</caption>
 * <thead><tr><th>strategy</th><th>runs in parallel?</th><th>costs</th><th>use it for</th></tr></thead>
 * <tbody>
 * <tr><td>{@code SEQUENTIAL}</td><td>no</td><td>nothing</td><td>the baseline</td></tr>
 * <tr><td>{@code PROCESSES}</td><td>yes</td><td>a JVM start per worker, no shared memory</td><td>isolation</td></tr>
 * <tr><td>{@code THREADS}</td><td>yes</td><td>an OS thread per worker</td><td>CPU-bound work in Java</td></tr>
 * <tr><td>{@code GIL_THREADS}</td><td>no, for CPU work</td><td>as threads, plus the lock</td><td>seeing what CPython's GIL does</td></tr>
 * <tr><td>{@code VIRTUAL_THREADS}</td><td>yes</td><td>a few hundred bytes per worker</td><td>many tasks that mostly wait</td></tr>
 * </tbody>
 * </table>
 */
package concurrencylab.runners;
