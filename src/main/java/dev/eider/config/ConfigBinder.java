package dev.eider.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eider.config.ExportSettings.Mode;
import dev.eider.table.TableDef;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns a merged settings tree into a typed {@link EiderConfig}, naming any bad setting. */
final class ConfigBinder {

    private final JsonNode root;
    private final Settings settings;

    ConfigBinder(JsonNode root) {
        this.root = root;
        this.settings = new Settings(root);
    }

    EiderConfig bind() {
        Settings.allowOnly(root, "", Set.of("server", "storage", "ingest", "export", "files", "tables", "log", "role"));
        Settings.allowOnly(
                settings.at("export.s3"),
                "export.s3",
                Set.of("endpoint", "region", "path_style", "multipart_threshold", "part_size"));
        Settings.allowOnly(settings.at("log"), "log", Set.of("format"));
        List<TableDef> tables = TableDeclarations.bind(root);
        ExportSettings defaults = exportSettings(settings.at("export"), "export", defaultExportSettings());
        Map<String, ExportSettings> perTable = new HashMap<>();
        JsonNode declared = root.path("tables");
        for (int i = 0; i < declared.size(); i++) {
            JsonNode export = declared.get(i).path("export");
            if (!export.isMissingNode()) {
                perTable.put(tables.get(i).name(), exportSettings(export, "tables[" + i + "].export", defaults));
            }
        }
        // Without declarations the catalog holds the default table; it is checked like a declared one.
        List<TableDef> exported = tables.isEmpty() ? List.of(TableDef.DEFAULT) : tables;
        for (int i = 0; i < exported.size(); i++) {
            checkPartitionColumn(
                    exported.get(i), i, perTable.getOrDefault(exported.get(i).name(), defaults), declared);
        }
        StoreConfig store = store();
        ExportConfig export = new ExportConfig(
                settings.text("export.target", "file:exports"),
                new S3Config(
                        settings.httpUrl("export.s3.endpoint"),
                        settings.text("export.s3.region", "us-east-1"),
                        settings.bool("export.s3.path_style", false),
                        settings.size("export.s3.multipart_threshold", S3Config.DEFAULT_MULTIPART_THRESHOLD),
                        settings.size("export.s3.part_size", S3Config.DEFAULT_PART_SIZE)),
                defaults,
                perTable,
                Path.of(settings.text("export.work_dir", defaultWorkDir(store, "export"))));
        return new EiderConfig(
                server(),
                store,
                ingest(),
                export,
                files(export, store),
                tables,
                settings.oneOf("log.format", "text", Set.of("text", "json")).equals("json"),
                role());
    }

    private Role role() {
        Role role = Role.valueOf(
                settings.oneOf("role", "all", Set.of("all", "ingest", "export")).toUpperCase(java.util.Locale.ROOT));
        if (role != Role.ALL && settings.text("storage.database", null) == null) {
            throw new ConfigException("role: '" + role.wireName()
                    + "' needs storage.database (a PostgreSQL database that instances share); a DuckDB file has one"
                    + " process, which takes writes and runs exports: remove the role setting");
        }
        return role;
    }

    /**
     * Beside a DuckDB file, like the write-ahead log (one database, one process, one folder); otherwise under
     * the temp folder, where each process still works in a folder of its own.
     */
    private static String defaultWorkDir(StoreConfig store, String work) {
        return store instanceof StoreConfig.DuckDb d
                ? d.dataFile() + ".eider-" + work
                : System.getProperty("java.io.tmpdir") + "/eider-" + work;
    }

    private ServerConfig server() {
        Settings.allowOnly(
                settings.at("server"),
                "server",
                Set.of("host", "port", "tokens", "allow_unauthenticated_remote", "max_body", "max_value", "max_depth"));
        List<ApiToken> tokens = tokens();
        boolean openRemote = settings.bool("server.allow_unauthenticated_remote", false);
        String host = settings.text("server.host", tokens.isEmpty() && !openRemote ? "127.0.0.1" : "0.0.0.0");
        if (tokens.isEmpty() && !openRemote && !isLoopback(host)) {
            throw new ConfigException(
                    "server.host: '" + host + "' is not a loopback address and no API token is configured; "
                            + "configure server.tokens, or set server.allow_unauthenticated_remote: true to accept anyone");
        }
        DataSize maxBody = nonZero("server.max_body", settings.size("server.max_body", DataSize.ofMegabytes(128)));
        DataSize maxValue =
                nonZero("server.max_value", settings.size("server.max_value", StoreConfig.DEFAULT_MAX_VALUE));
        return new ServerConfig(
                host,
                settings.integer("server.port", 8000, 0, 65535),
                tokens,
                openRemote,
                maxBody,
                maxValue,
                settings.integer("server.max_depth", 32, 1, 1000));
    }

    private static DataSize nonZero(String setting, DataSize size) {
        if (size.bytes() == 0) {
            throw new ConfigException(setting + ": 0B would refuse every request; give a size such as 16KB");
        }
        return size;
    }

    private static DataSize fileSize(String text) {
        DataSize size = DataSize.parse(text);
        // DuckDB starts a new file after the row group that passes the size: below a row group's worth (1MB and
        // more), every row group becomes a file (a new-user trial: 1KB gave 45 files for 40MB, where 0B was refused).
        if (size.bytes() < (1L << 20)) {
            throw new IllegalArgumentException(
                    size + " would write a file per row group; give at least 1MB, such as 256MB");
        }
        return size;
    }

    private static DataSize atLeast(String setting, DataSize size, DataSize least, String why) {
        if (size.bytes() < least.bytes()) {
            throw new ConfigException(
                    setting + ": " + size + " is too small; give at least " + least + " (" + why + ")");
        }
        return size;
    }

    private static boolean isLoopback(String host) {
        if (host.equals("localhost") || host.startsWith("127.") || host.equals("::1")) {
            return true;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new ConfigException("server.host: '" + host + "' cannot be resolved to an address");
        }
    }

    private List<ApiToken> tokens() {
        JsonNode node = settings.at("server.tokens");
        List<ApiToken> tokens = new ArrayList<>();
        if (node.isTextual()) {
            // EIDER_TOKENS=name:secret:scope+scope,name2:secret2:scope
            for (String entry : node.asText().split(",")) {
                String[] p = entry.trim().split(":");
                if (p.length != 3) {
                    throw new ConfigException(
                            "server.tokens: '" + redact(entry) + "' is not name:secret:scope[+scope]");
                }
                tokens.add(token("server.tokens", p[0], p[1], List.of(p[2].split("\\+"))));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode t = node.get(i);
                String where = "server.tokens[" + i + "]";
                Settings.allowOnly(t, where, Set.of("name", "token", "scopes"));
                List<String> scopes = new ArrayList<>();
                t.path("scopes").forEach(s -> scopes.add(s.asText()));
                tokens.add(token(
                        where,
                        t.path("name").asText("token" + i),
                        t.path("token").asText(""),
                        scopes));
            }
        } else if (!node.isMissingNode()) {
            throw new ConfigException("server.tokens: must be a list of {name, token, scopes}");
        }
        for (int i = 0; i < tokens.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (tokens.get(i).secret().equals(tokens.get(j).secret())) {
                    throw new ConfigException(
                            "server.tokens: tokens '" + tokens.get(j).name() + "' and '"
                                    + tokens.get(i).name() + "' have the same secret; give each its own");
                }
            }
        }
        return tokens;
    }

    private static ApiToken token(String where, String name, String secret, List<String> scopes) {
        try {
            Set<Scope> parsed = EnumSet.noneOf(Scope.class);
            scopes.forEach(s -> parsed.add(Scope.parse(s)));
            if (parsed.isEmpty()) {
                throw new IllegalArgumentException("token '" + name + "' has no scopes; allowed: read, write, admin");
            }
            return new ApiToken(name, secret, parsed);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + e.getMessage());
        }
    }

    private static String redact(String entry) {
        int first = entry.indexOf(':');
        return first < 0 ? "<token>" : entry.substring(0, first) + ":<secret>:...";
    }

    /** At least 3 s: the holder renews six times per lease, and a renewal is one short statement. */
    private Duration exportLease() {
        Duration lease = settings.duration("storage.export_lease", StoreConfig.Postgres.DEFAULT_EXPORT_LEASE);
        if (lease.compareTo(Duration.ofSeconds(3)) < 0) {
            throw new ConfigException("storage.export_lease: " + lease.toSeconds()
                    + "s is too short; give at least 3s (the holder renews it every sixth of it)");
        }
        return lease;
    }

    private StoreConfig store() {
        Settings.allowOnly(
                settings.at("storage"),
                "storage",
                Set.of(
                        "path",
                        "database",
                        "user",
                        "password",
                        "pool_size",
                        "export_lease",
                        "memory_limit",
                        "threads",
                        "checkpoint_threshold"));
        String database = settings.text("storage.database", null);
        if (database != null) {
            if (!database.startsWith("jdbc:postgresql:")) {
                throw new ConfigException("storage.database: '" + redactUrl(database)
                        + "' is not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)");
            }
            return new StoreConfig.Postgres(
                    database,
                    settings.text("storage.user", null),
                    settings.text("storage.password", null),
                    settings.integer("storage.pool_size", 8, 2, 256),
                    exportLease());
        }
        return new StoreConfig.DuckDb(
                Path.of(settings.text("storage.path", "data.db")),
                atLeast(
                        "storage.memory_limit",
                        settings.size("storage.memory_limit", StoreConfig.DEFAULT_DUCKDB_MEMORY),
                        DataSize.ofMegabytes(32),
                        "DuckDB cannot open a database in less"),
                settings.integer("storage.threads", 2, 1, 256),
                settings.size("storage.checkpoint_threshold", DataSize.ofMegabytes(256)));
    }

    /** A JDBC URL without its query string, which may hold a password. */
    private static String redactUrl(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?...";
    }

    private FilesConfig files(ExportConfig export, StoreConfig store) {
        Settings.allowOnly(
                settings.at("files"),
                "files",
                Set.of(
                        "target",
                        "max_size",
                        "work_dir",
                        "multipart_threshold",
                        "part_size",
                        "delete_after",
                        "orphan_after",
                        "sweep_every",
                        "redirect",
                        "presign_for"));
        return new FilesConfig(
                settings.text("files.target", FilesConfig.besideExports(export.target())),
                export.s3(),
                nonZero("files.max_size", settings.size("files.max_size", DataSize.ofMegabytes(1024))),
                Path.of(settings.text("files.work_dir", defaultWorkDir(store, "files"))),
                settings.size("files.multipart_threshold", DataSize.ofMegabytes(16)),
                settings.size("files.part_size", DataSize.ofMegabytes(8)),
                settings.duration("files.delete_after", Duration.ofHours(1)),
                settings.duration("files.orphan_after", Duration.ofHours(1)),
                settings.duration("files.sweep_every", Duration.ofMinutes(5)),
                settings.bool("files.redirect", false),
                settings.duration("files.presign_for", Duration.ofMinutes(15)));
    }

    private IngestConfig ingest() {
        Settings.allowOnly(
                settings.at("ingest"),
                "ingest",
                Set.of(
                        "queue_capacity",
                        "max_batch_rows",
                        "stage_threshold",
                        "memory_budget",
                        "retry_after",
                        "apply_every"));
        return new IngestConfig(
                settings.integer("ingest.queue_capacity", 4096, 1, 1 << 20),
                settings.integer("ingest.max_batch_rows", 16_384, 1, 1 << 24),
                settings.integer("ingest.stage_threshold", 10_000, 1, 1 << 24),
                atLeast(
                        "ingest.memory_budget",
                        settings.size("ingest.memory_budget", IngestConfig.defaultMemoryBudget()),
                        DataSize.ofMegabytes(1),
                        "it must hold the requests being logged"),
                settings.duration("ingest.retry_after", Duration.ofSeconds(1)),
                applyEvery());
    }

    /** At most an hour: gathered rows wait in the database and the write-ahead log, never on the heap, but no longer. */
    private Duration applyEvery() {
        Duration every = settings.duration("ingest.apply_every", IngestConfig.APPLY_EVERY);
        // Zero and negative durations are refused by the parser, as for every duration.
        if (every.compareTo(IngestConfig.MAX_APPLY_EVERY) > 0) {
            throw new ConfigException("ingest.apply_every: '"
                    + settings.at("ingest.apply_every").asText() + "' is invalid: it must be at most 1h");
        }
        return every;
    }

    private static ExportSettings defaultExportSettings() {
        return new ExportSettings(Mode.CHANGES, Duration.ofHours(1), 24, "zstd", DataSize.ofMegabytes(256), null);
    }

    private ExportSettings exportSettings(JsonNode node, String where, ExportSettings fallback) {
        Set<String> allowed =
                Set.of("mode", "every", "snapshot_every", "compression", "target_file_size", "partition_by");
        if (where.equals("export")) {
            allowed = Set.of(
                    "mode",
                    "every",
                    "snapshot_every",
                    "compression",
                    "target_file_size",
                    "partition_by",
                    "target",
                    "s3",
                    "work_dir");
        }
        Settings.allowOnly(node, where, allowed);
        return new ExportSettings(
                Settings.parse(where + ".mode", node.path("mode"), Mode::parse, fallback.mode()),
                Settings.parse(where + ".every", node.path("every"), Settings::parseDuration, fallback.every()),
                Settings.parse(
                        where + ".snapshot_every",
                        node.path("snapshot_every"),
                        ConfigBinder::nonNegativeInt,
                        fallback.snapshotEvery()),
                Settings.parse(
                        where + ".compression",
                        node.path("compression"),
                        ConfigBinder::compression,
                        fallback.compression()),
                Settings.parse(
                        where + ".target_file_size",
                        node.path("target_file_size"),
                        ConfigBinder::fileSize,
                        fallback.targetFileSize()),
                Settings.parse(where + ".partition_by", node.path("partition_by"), s -> s, fallback.partitionBy()));
    }

    /** Names the setting that chose the column: the table's own, or the global one it inherits. */
    private static void checkPartitionColumn(TableDef t, int index, ExportSettings s, JsonNode declared) {
        if (s.partitionBy() == null || t.indexOf(s.partitionBy()) >= 0) {
            return;
        }
        String column = "'" + s.partitionBy() + "' is not a column of " + t.name();
        if (declared.path(index).path("export").has("partition_by")) {
            throw new ConfigException("tables[" + index + "].export.partition_by: " + column);
        }
        if (declared.size() > 1) {
            throw new ConfigException(
                    "export.partition_by: " + column + "; declare partition_by per table (tables[].export) instead");
        }
        throw new ConfigException("export.partition_by: " + column);
    }

    private static String compression(String s) {
        if (!Set.of("zstd", "snappy", "gzip", "uncompressed").contains(s)) {
            throw new IllegalArgumentException("'" + s + "' is not one of zstd, snappy, gzip, uncompressed");
        }
        return s;
    }

    private static int nonNegativeInt(String s) {
        int n = Integer.parseInt(s);
        if (n < 0) {
            throw new IllegalArgumentException("must not be negative");
        }
        return n;
    }
}
