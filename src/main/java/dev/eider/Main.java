package dev.eider;

import dev.eider.cli.EiderCommand;
import picocli.CommandLine;

/** Entry point: {@code eider serve | export | restore}. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new EiderCommand());
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          // An operator needs the reason, not a stack trace: configuration and schema errors
          // already say what to change.
          cmd.getErr().println("eider: " + describe(e));
          return 2;
        });
    System.exit(cli.execute(args));
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
