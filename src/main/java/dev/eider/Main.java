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

  /** The command line, with bad configuration reported as one line naming the setting and exit code 2. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new EiderCommand());
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof ConfigException || e instanceof SchemaMismatchException) {
            cmd.getErr().println("eider: " + e.getMessage());
            return 2;
          }
          throw e;
        });
    return cli;
  }
}
