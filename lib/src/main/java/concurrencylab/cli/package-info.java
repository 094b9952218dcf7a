/** The jar's command line: {@code java -jar concurrency-lab.jar --help}. */
package concurrencylab.cli;
