package dev.eider.cli;

import dev.eider.config.ConfigLoader;
import dev.eider.config.EiderConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The flags every command shares; each overrides the setting it names. */
public final class ConfigOptions {

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "YAML configuration file (default: $EIDER_CONFIG, else ./eider.yaml if present)")
    Path config;

    @Option(names = "--port", description = "HTTP port (server.port, default 8000)")
    Integer port;

    @Option(names = "--host", description = "address to bind (server.host; default 127.0.0.1 without tokens)")
    String host;

    @Option(names = "--data", paramLabel = "FILE", description = "DuckDB file (storage.path, default data.db)")
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
            description = "s3://bucket/prefix or file:/path (export.target, default file:exports)")
    String exportTarget;

    @Option(
            names = "--export-every",
            paramLabel = "DURATION",
            description = "export schedule such as 15m or 1h (export.every, default 1h)")
    String exportEvery;

    @Option(
            names = "--log-format",
            paramLabel = "text|json",
            description = "log line format (log.format, default text)")
    String logFormat;

    /** Builds the configuration from the file, the environment and these flags, then sets up logging. */
    public EiderConfig load() {
        Map<String, String> flags = new LinkedHashMap<>();
        put(flags, "server.port", port);
        put(flags, "server.host", host);
        put(flags, "storage.path", data);
        put(flags, "storage.database", database);
        put(flags, "role", role);
        put(flags, "export.target", exportTarget);
        put(flags, "export.every", exportEvery);
        put(flags, "log.format", logFormat);
        Map<String, String> env = System.getenv();
        EiderConfig loaded = ConfigLoader.load(config != null ? config : ConfigLoader.defaultFile(env), env, flags);
        if (loaded.jsonLogs()) {
            // Must happen before the first logger is created.
            System.setProperty("logback.configurationFile", "logback-json.xml");
        }
        return loaded;
    }

    private static void put(Map<String, String> flags, String setting, Object value) {
        if (value != null) {
            flags.put(setting, value.toString());
        }
    }
}
