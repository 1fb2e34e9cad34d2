/** The {@code lazyq} command line: every subcommand, the CSV import and the demo. */
package io.lazyq.cli;
