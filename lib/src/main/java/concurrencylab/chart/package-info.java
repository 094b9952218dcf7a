/**
 * Charts with one house look: the plumbing that lessons never show. Each result type builds
 * its own chart through these classes; a lesson only says what to compare.
 */
package concurrencylab.chart;
