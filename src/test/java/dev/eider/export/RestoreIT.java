package dev.eider.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eider.testing.ChildEider;
import dev.eider.testing.ExportedTable;
import dev.eider.testing.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eider export} and {@code eider restore} in child JVMs: a restored database equals the original. */
class RestoreIT {

    static final String CONFIG = """
      tables:
        - name: items
          primary_key: sku
          columns:
            - {name: sku, type: string}
            - {name: price, type: "decimal(10,2)", nullable: true}
            - {name: seen, type: timestamp, nullable: true}
            - {name: meta, type: json, nullable: true}
      export:
        mode: changes
        snapshot_every: 0
      """;

    @TempDir
    Path dir;

    @Test
    void restore_afterSeveralExports_rebuildsSameTable() throws Exception {
        Path original = Files.createDirectories(dir.resolve("original"));
        Files.writeString(original.resolve("eider.yaml"), CONFIG);
        Map<String, String> env = Map.of("EIDER_EXPORT_TARGET", "file:" + dir.resolve("bucket"));
        try (ChildEider eider = ChildEider.serve(original, env)) {
            Http http = eider.http();
            for (int i = 0; i < 50; i++) {
                put(
                        http,
                        "{\"sku\": \"s" + i + "\", \"price\": " + i + ".25, \"seen\": \"2024-05-01T00:00:0" + (i % 10)
                                + "Z\", \"meta\": {\"i\": " + i + "}}");
            }
        }
        assertThat(export(original, "snapshot")).isZero();
        try (ChildEider eider = ChildEider.serve(original, env)) {
            Http http = eider.http();
            put(http, "{\"sku\": \"s1\", \"price\": 100.00, \"seen\": null, \"meta\": [1]}");
            assertThat(http.delete("/v1/tables/items/records/s2").statusCode()).isEqualTo(200);
            put(http, "{\"sku\": \"new\", \"price\": 0.01, \"seen\": \"2030-01-01T00:00:00Z\", \"meta\": null}");
        }
        assertThat(export(original, "changes")).isZero();
        try (ChildEider eider = ChildEider.serve(original, env)) {
            Http http = eider.http();
            assertThat(http.delete("/v1/tables/items/records/new").statusCode()).isEqualTo(200);
            put(http, "{\"sku\": \"s2\", \"price\": 2.00, \"seen\": null, \"meta\": null}");
            assertThat(http.delete("/v1/tables/items/records/s3").statusCode()).isEqualTo(200);
        }
        assertThat(export(original, "changes")).isZero();

        Path restored = Files.createDirectories(dir.resolve("restored"));
        Files.writeString(restored.resolve("eider.yaml"), CONFIG);
        assertThat(ChildEider.run(
                        restored,
                        Map.of(),
                        Duration.ofSeconds(60),
                        "restore",
                        "--from",
                        "file:" + dir.resolve("bucket")))
                .isZero();

        assertThat(liveRows(restored)).hasSize(49).isEqualTo(liveRows(original));
    }

    @Test
    void restore_intoNonEmptyDatabase_refuses() throws Exception {
        Files.writeString(dir.resolve("eider.yaml"), CONFIG);
        try (ChildEider eider = ChildEider.serve(dir, Map.of())) {
            put(eider.http(), "{\"sku\": \"a\", \"price\": 1}");
        }
        int code = ChildEider.run(
                dir, Map.of(), Duration.ofSeconds(60), "restore", "--from", "file:" + dir.resolve("bucket"));
        assertThat(code).isEqualTo(2);
        assertThat(liveRows(dir)).hasSize(1);
    }

    private static int export(Path dir, String mode) {
        return ChildEider.run(
                dir,
                Map.of("EIDER_EXPORT_TARGET", "file:" + dir.resolveSibling("bucket")),
                Duration.ofSeconds(60),
                "export",
                "--mode",
                mode);
    }

    private static void put(Http http, String record) {
        var r = http.post("/v1/tables/items/records", record);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static List<String> liveRows(Path dir) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("data.db"));
                Statement st = c.createStatement()) {
            return ExportedTable.rows(st, "SELECT sku, price, seen, meta FROM items WHERE NOT _deleted ORDER BY sku");
        }
    }
}
