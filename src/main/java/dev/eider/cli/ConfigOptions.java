package dev.eider.cli;

import dev.eider.config.ConfigLoader;
import dev.eider.config.EiderConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The flags every command shares; each overrides the setting it names. {@link ServerOptions} adds serve's own. */
public final class ConfigOptions {

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "The YAML configuration file (default: $EIDER_CONFIG, else ./eider.yaml when present).")
    Path config;

    @Option(
            names = "--data",
            paramLabel = "FILE",
            description = "The DuckDB database file (storage.path, default data.db).")
    Path data;

    @Option(
            names = "--database",
            paramLabel = "JDBC_URL",
            description = "PostgreSQL shared by several instances, jdbc:postgresql://host:port/db (storage.database;"
                    + " default: the DuckDB file)")
    String database;

    @Option(
            names = "--role",
            paramLabel = "all|ingest|export",
            description = "with --database: take writes and export (all, default), only take writes (ingest),"
                    + " or only export (export)")
    String role;

    @Option(
            names = "--export-target",
            paramLabel = "URI",
            description = "Where exports go: s3://bucket/prefix or file:/path (export.target, default file:exports).")
    String exportTarget;

    @Option(
            names = "--log-format",
            paramLabel = "text|json",
            description = "The log format: text, or json with one object per line (log.format, default text).")
    String logFormat;

    /** Builds the configuration from the file, the environment and these flags, then sets up logging. */
    public EiderConfig load() {
        return load(Map.of());
    }

    /** As {@link #load()}, with a command's own flags ({@code setting -> value}) on top. */
    EiderConfig load(Map<String, String> commandFlags) {
        Map<String, String> flags = new LinkedHashMap<>();
        put(flags, "storage.path", data);
        put(flags, "storage.database", database);
        put(flags, "role", role);
        put(flags, "export.target", exportTarget);
        put(flags, "log.format", logFormat);
        flags.putAll(commandFlags);
        Map<String, String> env = System.getenv();
        EiderConfig loaded = ConfigLoader.load(config != null ? config : ConfigLoader.defaultFile(env), env, flags);
        if (loaded.jsonLogs()) {
            // Must happen before the first logger is created.
            System.setProperty("logback.configurationFile", "logback-json.xml");
        }
        return loaded;
    }

    static void put(Map<String, String> flags, String setting, Object value) {
        if (value != null) {
            flags.put(setting, value.toString());
        }
    }
}
