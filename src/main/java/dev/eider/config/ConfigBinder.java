package dev.eider.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eider.config.ExportSettings.Mode;
import dev.eider.table.Column;
import dev.eider.table.ColumnType;
import dev.eider.table.TableDef;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Turns a merged settings tree into a typed {@link EiderConfig}, naming any bad setting. */
final class ConfigBinder {

  private final JsonNode root;

  ConfigBinder(JsonNode root) {
    this.root = root;
  }

  EiderConfig bind() {
    allowOnly(root, "", Set.of("server", "storage", "ingest", "export", "tables", "log"));
    allowOnly(at("export.s3"), "export.s3", Set.of("endpoint", "region", "path_style"));
    allowOnly(at("log"), "log", Set.of("format"));
    List<TableDef> tables = tables();
    ExportSettings defaults = exportSettings(at("export"), "export", defaultExportSettings());
    Map<String, ExportSettings> perTable = new HashMap<>();
    JsonNode declared = root.path("tables");
    for (int i = 0; i < declared.size(); i++) {
      JsonNode export = declared.get(i).path("export");
      if (!export.isMissingNode()) {
        perTable.put(tables.get(i).name(), exportSettings(export, "tables[" + i + "].export", defaults));
      }
    }
    for (Map.Entry<String, ExportSettings> e : perTable.entrySet()) {
      checkPartitionColumn(tables, e.getKey(), e.getValue());
    }
    return new EiderConfig(
        server(),
        store(),
        ingest(),
        new ExportConfig(
            text("export.target", "file:exports"),
            new S3Config(
                text("export.s3.endpoint", null),
                text("export.s3.region", "us-east-1"),
                bool("export.s3.path_style", false)),
            defaults,
            perTable,
            Path.of(text("export.work_dir", System.getProperty("java.io.tmpdir") + "/eider-export"))),
        tables,
        oneOf("log.format", "text", Set.of("text", "json")).equals("json"));
  }

  private ServerConfig server() {
    allowOnly(at("server"), "server", Set.of("host", "port", "tokens", "allow_unauthenticated_remote", "max_body", "max_value", "max_depth"));
    List<ApiToken> tokens = tokens();
    boolean openRemote = bool("server.allow_unauthenticated_remote", false);
    String host = text("server.host", tokens.isEmpty() && !openRemote ? "127.0.0.1" : "0.0.0.0");
    if (tokens.isEmpty() && !openRemote && !isLoopback(host)) {
      throw new ConfigException(
          "server.host: '" + host + "' is not a loopback address and no API token is configured; "
              + "configure server.tokens, or set server.allow_unauthenticated_remote: true to accept anyone");
    }
    return new ServerConfig(
        host,
        integer("server.port", 8000, 0, 65535),
        tokens,
        openRemote,
        size("server.max_body", DataSize.ofMegabytes(512)),
        size("server.max_value", DataSize.ofMegabytes(1)),
        integer("server.max_depth", 32, 1, 1000));
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }

  private List<ApiToken> tokens() {
    JsonNode node = at("server.tokens");
    List<ApiToken> tokens = new ArrayList<>();
    if (node.isTextual()) {
      // EIDER_TOKENS=name:secret:scope+scope,name2:secret2:scope
      for (String entry : node.asText().split(",")) {
        String[] p = entry.trim().split(":");
        if (p.length != 3) {
          throw new ConfigException("server.tokens: '" + redact(entry) + "' is not name:secret:scope[+scope]");
        }
        tokens.add(token("server.tokens", p[0], p[1], List.of(p[2].split("\\+"))));
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        JsonNode t = node.get(i);
        String where = "server.tokens[" + i + "]";
        allowOnly(t, where, Set.of("name", "token", "scopes"));
        List<String> scopes = new ArrayList<>();
        t.path("scopes").forEach(s -> scopes.add(s.asText()));
        tokens.add(token(where, t.path("name").asText("token" + i), t.path("token").asText(""), scopes));
      }
    } else if (!node.isMissingNode()) {
      throw new ConfigException("server.tokens: must be a list of {name, token, scopes}");
    }
    for (int i = 0; i < tokens.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (tokens.get(i).secret().equals(tokens.get(j).secret())) {
          throw new ConfigException(
              "server.tokens: tokens '" + tokens.get(j).name() + "' and '" + tokens.get(i).name() + "' have the same secret; give each its own");
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

  private StoreConfig store() {
    allowOnly(at("storage"), "storage", Set.of("path", "database", "memory_limit", "threads", "checkpoint_threshold"));
    String database = text("storage.database", null);
    if (database != null && !database.startsWith("jdbc:")) {
      throw new ConfigException("storage.database: '" + database + "' is not a JDBC URL (jdbc:postgresql://...)");
    }
    if (database != null) {
      throw new ConfigException(
          "storage.database: external databases are not supported by this version; remove the setting to use the DuckDB file");
    }
    return new StoreConfig(
        Path.of(text("storage.path", "data.db")),
        database,
        size("storage.memory_limit", DataSize.ofMegabytes(256)),
        integer("storage.threads", 2, 1, 256),
        size("storage.checkpoint_threshold", DataSize.ofMegabytes(256)));
  }

  private IngestConfig ingest() {
    allowOnly(at("ingest"), "ingest", Set.of("queue_capacity", "max_batch_rows", "stage_threshold", "retry_after"));
    return new IngestConfig(
        integer("ingest.queue_capacity", 4096, 1, 1 << 20),
        integer("ingest.max_batch_rows", 16_384, 1, 1 << 24),
        integer("ingest.stage_threshold", 10_000, 1, 1 << 24),
        duration("ingest.retry_after", Duration.ofSeconds(1)));
  }

  private static ExportSettings defaultExportSettings() {
    return new ExportSettings(Mode.CHANGES, Duration.ofHours(1), 24, "zstd", DataSize.ofMegabytes(256), null);
  }

  private ExportSettings exportSettings(JsonNode node, String where, ExportSettings fallback) {
    Set<String> allowed = Set.of("mode", "every", "snapshot_every", "compression", "target_file_size", "partition_by");
    if (where.equals("export")) {
      allowed = Set.of("mode", "every", "snapshot_every", "compression", "target_file_size", "partition_by", "target", "s3", "work_dir");
    }
    allowOnly(node, where, allowed);
    return new ExportSettings(
        parse(where + ".mode", node.path("mode"), Mode::parse, fallback.mode()),
        parse(where + ".every", node.path("every"), ConfigBinder::parseDuration, fallback.every()),
        parse(where + ".snapshot_every", node.path("snapshot_every"), ConfigBinder::nonNegativeInt, fallback.snapshotEvery()),
        parse(where + ".compression", node.path("compression"), ConfigBinder::compression, fallback.compression()),
        parse(where + ".target_file_size", node.path("target_file_size"), DataSize::parse, fallback.targetFileSize()),
        parse(where + ".partition_by", node.path("partition_by"), s -> s, fallback.partitionBy()));
  }

  private static void checkPartitionColumn(List<TableDef> tables, String table, ExportSettings s) {
    if (s.partitionBy() == null) {
      return;
    }
    TableDef t = tables.stream().filter(d -> d.name().equals(table)).findFirst().orElseThrow();
    if (t.indexOf(s.partitionBy()) < 0) {
      throw new ConfigException(
          "tables." + table + ".export.partition_by: '" + s.partitionBy() + "' is not a column of " + table);
    }
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

  private List<TableDef> tables() {
    JsonNode node = root.path("tables");
    List<TableDef> tables = new ArrayList<>();
    if (node.isMissingNode()) {
      return tables;
    }
    if (!node.isArray()) {
      throw new ConfigException("tables: must be a list of tables");
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode t = node.get(i);
      String where = "tables[" + i + "]";
      allowOnly(t, where, Set.of("name", "columns", "primary_key", "export"));
      List<Column> columns = new ArrayList<>();
      JsonNode cols = t.path("columns");
      if (!cols.isArray() || cols.isEmpty()) {
        throw new ConfigException(where + ".columns: must list at least one column");
      }
      String key = t.path("primary_key").asText(null);
      for (int c = 0; c < cols.size(); c++) {
        JsonNode col = cols.get(c);
        String cw = where + ".columns[" + c + "]";
        allowOnly(col, cw, Set.of("name", "type", "nullable"));
        try {
          String name = col.path("name").asText(null);
          if (name == null) {
            throw new IllegalArgumentException("missing name");
          }
          boolean nullable = parse(cw + ".nullable", col.path("nullable"), ConfigBinder::parseBoolean, !name.equals(key));
          columns.add(new Column(name, ColumnType.parse(col.path("type").asText("")), nullable));
        } catch (IllegalArgumentException e) {
          throw new ConfigException(cw + ": " + e.getMessage());
        }
      }
      try {
        if (key == null) {
          throw new IllegalArgumentException("missing primary_key");
        }
        TableDef table = new TableDef(t.path("name").asText(""), columns, key);
        if (tables.stream().anyMatch(d -> d.name().equals(table.name()))) {
          throw new IllegalArgumentException("table '" + table.name() + "' is declared twice");
        }
        tables.add(table);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(where + ": " + e.getMessage());
      }
    }
    return tables;
  }

  // --- typed reads that name the setting on failure ---

  private JsonNode at(String dotted) {
    JsonNode node = root;
    for (String part : dotted.split("\\.")) {
      node = node.path(part);
    }
    return node;
  }

  private String text(String setting, String fallback) {
    JsonNode n = at(setting);
    return n.isMissingNode() || n.isNull() ? fallback : n.asText();
  }

  private String oneOf(String setting, String fallback, Set<String> allowed) {
    String v = text(setting, fallback);
    if (!allowed.contains(v)) {
      throw new ConfigException(setting + ": '" + v + "' is not one of " + allowed);
    }
    return v;
  }

  private boolean bool(String setting, boolean fallback) {
    return parse(setting, at(setting), ConfigBinder::parseBoolean, fallback);
  }

  private int integer(String setting, int fallback, int min, int max) {
    int v = parse(setting, at(setting), Integer::parseInt, fallback);
    if (v < min || v > max) {
      throw new ConfigException(setting + ": " + v + " is outside " + min + ".." + max);
    }
    return v;
  }

  private DataSize size(String setting, DataSize fallback) {
    return parse(setting, at(setting), DataSize::parse, fallback);
  }

  private Duration duration(String setting, Duration fallback) {
    return parse(setting, at(setting), ConfigBinder::parseDuration, fallback);
  }

  private static <T> T parse(String setting, JsonNode node, Function<String, T> parser, T fallback) {
    if (node.isMissingNode() || node.isNull()) {
      return fallback;
    }
    try {
      return parser.apply(node.asText().trim());
    } catch (RuntimeException e) {
      throw new ConfigException(setting + ": '" + node.asText() + "' is invalid: " + e.getMessage());
    }
  }

  private static boolean parseBoolean(String s) {
    return switch (s.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw new IllegalArgumentException("expected true or false");
    };
  }

  /** Parses {@code 90s}, {@code 15m}, {@code 1h}, {@code 1d} or an ISO-8601 duration. */
  static Duration parseDuration(String s) {
    if (s.startsWith("P") || s.startsWith("p")) {
      return Duration.parse(s);
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException("expected a duration such as 30s, 15m, 1h or 1d");
    }
    long n = Long.parseLong(m.group(1));
    Duration d =
        switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
    if (d.isZero()) {
      throw new IllegalArgumentException("must be longer than zero");
    }
    return d;
  }

  private static void allowOnly(JsonNode node, String where, Set<String> allowed) {
    if (node.isMissingNode()) {
      return;
    }
    if (!node.isObject()) {
      throw new ConfigException((where.isEmpty() ? "configuration" : where) + ": must be a mapping");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw new ConfigException(
            (where.isEmpty() ? "" : where + ".") + f + ": unknown setting; allowed here: " + allowed);
      }
    }
  }
}
