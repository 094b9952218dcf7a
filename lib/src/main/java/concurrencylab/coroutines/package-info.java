/**
 * Coroutines: an asyncio-like event loop on which many tasks take turns on one thread, switching
 * only where a task awaits ({@link concurrencylab.coroutines.Async#sleep sleep},
 * {@link concurrencylab.coroutines.Async#await await}, {@link concurrencylab.coroutines.Async#gather
 * gather}, ...), and the many-sleepers experiment that sets it beside virtual and platform threads.
 */
package concurrencylab.coroutines;
