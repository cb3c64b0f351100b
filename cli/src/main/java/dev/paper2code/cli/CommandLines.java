package dev.paper2code.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * How every command-line tool here reads its options: picocli, with {@code --help} listing each option
 * and its default, and usage errors that name the bad option.
 */
final class CommandLines {
    private CommandLines() {
    }

    /**
     * Parses {@code args} into {@code command}'s annotated fields; prints the usage to {@code out} and
     * returns false when help or the version was asked for.
     *
     * @throws IllegalArgumentException with picocli's message (which names the option) on a usage error
     */
    static boolean parse(Object command, String[] args, PrintStream out) {
        CommandLine line = new CommandLine(command);
        try {
            CommandLine.ParseResult result = line.parseArgs(args);
            if (result.isUsageHelpRequested()) {
                line.usage(out);
                return false;
            }
            if (result.isVersionHelpRequested()) {
                line.printVersionHelp(out);
                return false;
            }
            return true;
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Runs a tool from {@code main}: usage errors print the message and the usage to stderr and exit 2,
     * as picocli's own handler does; other failures print their message and exit 1.
     */
    static void main(Callable<Integer> command, String[] args) {
        CommandLine line = new CommandLine(command);
        line.setExecutionExceptionHandler((error, commandLine, parseResult) -> {
            if (error instanceof IllegalArgumentException) {
                commandLine.getErr().println(commandLine.getCommandName() + ": " + error.getMessage());
                return 2;
            }
            commandLine.getErr().println(commandLine.getCommandName() + ": " + error);
            return 1;
        });
        System.exit(line.execute(args));
    }
}
