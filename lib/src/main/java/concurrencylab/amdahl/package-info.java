/**
 * Amdahl's law measured: the serial part of a real run (child JVM start-up and the merge of
 * their results, a lock every worker needs), the speed-up it allows against the speed-up
 * measured, and Gustafson's scaled speed-up beside it.
 */
package concurrencylab.amdahl;
