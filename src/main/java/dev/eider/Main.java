package dev.eider;

import dev.eider.cli.EiderCommand;
import dev.eider.config.ConfigException;
import dev.eider.store.SchemaMismatchException;
import dev.eider.store.StoreException;
import picocli.CommandLine;

/** Entry point: {@code eider serve | export | restore}. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The command line: bad configuration is reported as one line naming the setting (exit code 2), a
   * database that cannot be opened as one line saying why (exit code 1).
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new EiderCommand());
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof ConfigException || e instanceof SchemaMismatchException) {
            cmd.getErr().println("eider: " + e.getMessage());
            return 2;
          }
          if (e instanceof StoreException) {
            // The database cannot be opened (a missing folder, a file locked by another process): no stack trace needed.
            cmd.getErr().println("eider: " + e.getMessage());
            return 1;
          }
          throw e;
        });
    return cli;
  }
}
