/**
 * Showing results: one call that puts a chart, an image, an HTML fragment or a table in the
 * notebook, whichever Java kernel runs it (IJava, JJava or rapaio), and that writes a file
 * and prints a one-line summary when no kernel is there (jshell, the command line, tests).
 *
 * <p>Start with {@link concurrencylab.display.Display#show(Object)}.
 */
package concurrencylab.display;
