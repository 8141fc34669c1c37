package dev.eider.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eider.Main;
import dev.eider.testing.EmbeddedPg;
import dev.eider.testing.Http;
import dev.eider.testing.RunningEider;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code eider restore} into PostgreSQL: exports of a DuckDB database (snapshot, then changes with
 * updates and deletes) rebuild the same records, sequences included, in one transaction.
 */
class PgRestoreIT {

    static final String TABLES = """
      tables:
        - name: items
          primary_key: sku
          columns:
            - {name: sku, type: string}
            - {name: price, type: "decimal(10,2)", nullable: true}
            - {name: seen, type: timestamp, nullable: true}
            - {name: meta, type: json, nullable: true}
      """;

    @TempDir
    Path dir;

    Path bucket;
    Map<String, String> originalRecords;
    Map<String, String> originalItems;
    final StringWriter err = new StringWriter();

    @BeforeEach
    void exportFromDuckDb() {
        bucket = dir.resolve("bucket");
        Map<String, String> flags = Map.of("export.target", "file:" + bucket);
        try (RunningEider eider = RunningEider.start(dir.resolve("original"), TABLES, flags)) {
            Http http = eider.http();
            for (int i = 1; i <= 20; i++) {
                ok(http.post("/record", "{\"id\": " + i + ", \"value\": \"v" + i + "\"}"));
                ok(http.post(
                        "/v1/tables/items/records",
                        "{\"sku\": \"s" + i + "\", \"price\": " + i + ".25, \"seen\": \"2024-05-01T00:00:0" + (i % 10)
                                + "Z\", \"meta\": {\"i\": " + i + "}}"));
            }
            PgExports.run(http, "records", "snapshot");
            PgExports.run(http, "items", "snapshot");
            ok(http.post("/record", "{\"id\": 3, \"value\": \"changed\"}"));
            ok(http.delete("/v1/tables/records/records/4"));
            ok(http.post("/v1/tables/items/records", "{\"sku\": \"s1\", \"price\": 100.00, \"meta\": [1]}"));
            ok(http.delete("/v1/tables/items/records/s2"));
            PgExports.run(http, "records", "changes");
            PgExports.run(http, "items", "changes");
            originalRecords = records(http, "records", "id");
            originalItems = records(http, "items", "sku");
        }
    }

    @Test
    void restore_intoEmptyPostgres_rebuildsRecordsAndSequences() {
        String url = EmbeddedPg.freshDatabase();
        assertThat(restore(url)).as(err.toString()).isZero();

        try (RunningEider restored =
                RunningEider.start(dir.resolve("restored"), TABLES, Map.of("storage.database", url))) {
            Http http = restored.http();
            assertThat(records(http, "records", "id")).hasSize(19).isEqualTo(originalRecords);
            assertThat(records(http, "items", "sku")).hasSize(19).isEqualTo(originalItems);

            // New writes continue above every restored sequence.
            long highest = originalRecords.values().stream()
                    .mapToLong(v -> Long.parseLong(v.substring(0, v.indexOf(' '))))
                    .max()
                    .orElseThrow();
            ok(http.post("/record", "{\"id\": 99, \"value\": \"new\"}"));
            assertThat(sequence(http, "records", "99")).isGreaterThan(highest);
        }
    }

    @Test
    void restore_intoNonEmptyPostgres_refusesAndKeepsRows() throws Exception {
        String url = EmbeddedPg.freshDatabase();
        assertThat(restore(url)).as(err.toString()).isZero();

        assertThat(restore(url)).isEqualTo(2);
        assertThat(err.toString()).contains("not empty");
        assertThat(count(url, "records")).isEqualTo(19);
    }

    @Test
    void restore_failingOnTheSecondTable_leavesTheFirstEmpty() throws Exception {
        try (Stream<Path> files = Files.walk(bucket.resolve("items").resolve("changes"))) {
            Path part = files.filter(p -> p.toString().endsWith(".parquet"))
                    .findFirst()
                    .orElseThrow();
            Files.write(part, new byte[] {0}, StandardOpenOption.APPEND);
        }
        String url = EmbeddedPg.freshDatabase();

        assertThat(restore(url)).isNotZero();
        assertThat(err.toString()).contains("SHA-256");
        assertThat(count(url, "records")).isZero();
        assertThat(count(url, "items")).isZero();
    }

    private int restore(String url) {
        Path config = dir.resolve("restore.yaml");
        try {
            Files.writeString(config, TABLES);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute("restore", "--config", config.toString(), "--database", url, "--from", "file:" + bucket);
    }

    /** Every record of a table by key, as "sequence json". */
    private static Map<String, String> records(Http http, String table, String key) {
        var page = PgExports.read(
                http.get("/v1/tables/" + table + "/records?limit=1000").body());
        Map<String, String> out = new java.util.TreeMap<>();
        page.path("records").forEach(r -> {
            String k = r.path(key).asText();
            out.put(k, sequence(http, table, k) + " " + r);
        });
        return out;
    }

    private static long sequence(Http http, String table, String key) {
        HttpResponse<String> r = http.get("/v1/tables/" + table + "/records/" + key);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Long.parseLong(r.headers().firstValue("Eider-Sequence").orElseThrow());
    }

    private static long count(String url, String table) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement()) {
            try (ResultSet exists = st.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
                exists.next();
                if (!exists.getBoolean(1)) {
                    return 0;
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table + " WHERE NOT _deleted")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
}
