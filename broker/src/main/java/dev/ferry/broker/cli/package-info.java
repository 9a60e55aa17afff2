/** The {@code ferry} command line: subcommands that start the broker and, later, talk to it. */
package dev.ferry.broker.cli;
