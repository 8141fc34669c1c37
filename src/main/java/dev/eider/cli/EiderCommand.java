package dev.eider.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;

/** The {@code eider} command line. */
@Command(
        name = "eider",
        mixinStandardHelpOptions = true,
        versionProvider = EiderCommand.Version.class,
        description = "Records over HTTP into DuckDB, delivered to S3 as Parquet exactly once.",
        subcommands = {
            ServeCommand.class,
            ExportCommand.class,
            RestoreCommand.class,
            CheckCommand.class,
            HelpCommand.class
        })
public final class EiderCommand {

    /** The version from the jar's manifest. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = EiderCommand.class.getPackage().getImplementationVersion();
            return new String[] {"eider " + (v == null ? "development" : v)};
        }
    }
}
