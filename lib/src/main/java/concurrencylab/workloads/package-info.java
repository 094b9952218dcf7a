/**
 * Work to time: an honest counting loop that the JIT can neither delete nor fold, a naive one
 * that it can (kept for the lesson that shows it), and sleeping, for I/O-bound demos.
 */
package concurrencylab.workloads;
