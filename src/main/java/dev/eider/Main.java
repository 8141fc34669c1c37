package dev.eider;

import dev.eider.cli.EiderCommand;
import dev.eider.config.ConfigException;
import dev.eider.store.SchemaMismatchException;
import picocli.CommandLine;

/** Entry point: {@code eider serve | export | restore}. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line. An operator needs the reason, not a stack trace: bad configuration or an
     * incompatible schema is one line naming what to change (exit code 2); anything else that stops
     * a command, such as a database that cannot be opened, one line saying why (exit code 1).
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new EiderCommand());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("eider: " + describe(e));
            return e instanceof ConfigException || e instanceof SchemaMismatchException ? 2 : 1;
        });
        return cli;
    }

    private static String describe(Throwable e) {
        StringBuilder s = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !s.toString().contains(c.getMessage())) {
                s.append(": ").append(c.getMessage());
            }
        }
        return s.toString();
    }
}
