/**
 * Producer and consumers: I/O-bound work on threads, where the CPU is idle nearly all the time
 * and what matters is that waiting tasks overlap. {@link concurrencylab.producers.Commands}
 * supplies the producer's commands (typed, or scripted so a notebook runs unattended);
 * {@link concurrencylab.producers.ProducerConsumer} runs the article's program, polling or
 * waiting, and records every tick.
 */
package concurrencylab.producers;
