/**
 * Measurement: the machine a lesson runs on, and what it costs to start a thread or a JVM.
 */
package concurrencylab.measure;
