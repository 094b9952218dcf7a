/**
 * Pools: a fixed set of workers (child JVMs or threads) that a caller hands many inputs to, as
 * Python's {@code multiprocessing.Pool} does: {@link concurrencylab.pools.Pool#map map},
 * {@link concurrencylab.pools.Pool#imap imap}, {@link concurrencylab.pools.Pool#imapUnordered
 * imapUnordered} and {@link concurrencylab.pools.Pool#submit submit}.
 *
 * <table class="striped">
 * <caption>Which call to use</caption>
 * <tr><th>call</th><th>returns</th><th>memory</th><th>first result</th></tr>
 * <tr><td>map</td><td>a list, in input order, when all are done</td><td>grows with the input</td><td>at the end</td></tr>
 * <tr><td>imap</td><td>an iterator, in input order</td><td>bounded</td><td>as soon as input 0 is done</td></tr>
 * <tr><td>imapUnordered</td><td>an iterator, in completion order</td><td>bounded</td><td>as soon as any is done</td></tr>
 * <tr><td>submit</td><td>a future of one result</td><td>one input</td><td>when it is done</td></tr>
 * </table>
 */
package concurrencylab.pools;
