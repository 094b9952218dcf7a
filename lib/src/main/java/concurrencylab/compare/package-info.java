/**
 * Every strategy of the lab side by side: {@link concurrencylab.compare.Comparison} measures
 * sequential work, processes, threads, the simulated GIL, virtual threads, process and thread
 * pools and the event loop (and CPython's counterparts) on CPU-bound work, I/O-bound work and
 * many waiting tasks, as speed-ups over one piece of work at a time.
 *
 * <table>
 * <caption>What the comparison usually shows (a machine with several CPUs)</caption>
 * <tr><th>work</th><th>fast</th><th>no faster than one at a time</th></tr>
 * <tr><td>CPU-bound</td><td>threads, virtual threads, pools, processes (less their start-up)</td>
 *     <td>the simulated GIL, the event loop (one thread)</td></tr>
 * <tr><td>I/O-bound</td><td>every concurrent strategy</td><td>sequential</td></tr>
 * <tr><td>many waiting tasks</td><td>the event loop, virtual threads</td>
 *     <td>platform threads fall behind as they multiply</td></tr>
 * </table>
 */
package concurrencylab.compare;
