package dev.eider.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eider.config.S3Config;
import dev.eider.export.ExportTarget;
import dev.eider.export.ExportTargets;
import dev.eider.testing.EmbeddedPg;
import dev.eider.testing.ExportedTable;
import dev.eider.testing.Http;
import dev.eider.testing.RunningEider;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL's exports read its rows as CSV text and DuckDB's export reads them as values: the same
 * writes into each must export the same Parquet, value for value and type for type, for every column
 * type and for text that CSV has to quote.
 */
class PgExportValuesIT {

    private static final String TABLES = """
      tables:
        - name: orders
          primary_key: id
          columns:
            - {name: id, type: int64}
            - {name: customer, type: string}
            - {name: note, type: string, nullable: true}
            - {name: quantity, type: int64, nullable: true}
            - {name: weight, type: float64, nullable: true}
            - {name: paid, type: boolean, nullable: true}
            - {name: placed_at, type: timestamp, nullable: true}
            - {name: due, type: date, nullable: true}
            - {name: price, type: "decimal(38,4)", nullable: true}
            - {name: extra, type: json, nullable: true}
      """;

    // The first row's first text has a carriage return before any line feed: DuckDB's CSV reader took "\r\n" for
    // the row end from it and every export of the table failed (new-user trial).
    private static final String[] RECORDS = {
        "{\"id\":1,\"customer\":\"cr\\ronly a,b \\\"quoted\\\"\\nsecond line\\r\\nthird\",\"note\":\"\",\"quantity\":-9223372036854775808,"
                + "\"weight\":1.0E300,\"paid\":true,\"placed_at\":\"0001-01-01T00:00:00Z\",\"due\":\"0001-01-01\","
                + "\"price\":\"-1234567890123456789012345678901234.5678\",\"extra\":{\"k\":\"v,\\\"w\\\"\\n\"}}",
        "{\"id\":2,\"customer\":\"\",\"note\":null,\"quantity\":9223372036854775807,\"weight\":-0.0,\"paid\":false,"
                + "\"placed_at\":\"9999-12-31T23:59:59.999999+00:00\",\"due\":\"9999-12-31\",\"price\":0.0001,"
                + "\"extra\":[1,null,\"\"]}",
        "{\"id\":3,\"customer\":\"\\ud83e\\udd86 caf\\u00e9 \\\\N NULL\",\"weight\":5.0E-324,"
                + "\"placed_at\":\"1969-12-31T23:59:59.999999-05:30\",\"due\":\"1970-01-01\",\"extra\":\"\"}",
        "{\"id\":4,\"customer\":\"to be deleted\",\"weight\":0.1}"
    };

    @TempDir
    Path dir;

    @Test
    void snapshotAndChanges_sameParquetAsDuckDbExports() throws Exception {
        Exported duck = export(dir.resolve("duckdb"), Map.of());
        String url = EmbeddedPg.freshDatabase();
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement()) {
            // Settings that change how PostgreSQL writes timestamps, dates and floats as text. pgjdbc sets its
            // own DateStyle, extra_float_digits and TimeZone when it connects, so today these change nothing:
            // they are here so that a driver that stopped doing so fails this test instead of the exports.
            for (String setting :
                    List.of("TimeZone = 'America/New_York'", "DateStyle = 'SQL, DMY'", "extra_float_digits = -3")) {
                st.execute("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET " + setting.replace("'", "''")
                        + "', current_database()); END $$");
            }
        }
        Exported pg = export(dir.resolve("postgres"), Map.of("storage.database", url));

        assertThat(pg.snapshotSchema()).isEqualTo(duck.snapshotSchema());
        assertThat(pg.snapshot()).hasSize(RECORDS.length).isEqualTo(duck.snapshot());
        assertThat(pg.changesSchema()).isEqualTo(duck.changesSchema());
        assertThat(pg.changes()).hasSize(2).isEqualTo(duck.changes());
        assertThat(pg.changes().get(1)).startsWith("4|").endsWith("|delete");
    }

    private record Exported(
            List<String> snapshotSchema, List<String> snapshot, List<String> changesSchema, List<String> changes) {}

    private Exported export(Path home, Map<String, String> flags) throws Exception {
        try (RunningEider eider = RunningEider.start(home, TABLES, flags);
                ExportTarget target =
                        ExportTargets.open("file:" + home.resolve("exports"), new S3Config(null, "us-east-1", false))) {
            Http http = eider.http();
            for (String r : RECORDS) {
                assertThat(http.post("/v1/tables/orders/records", r).statusCode())
                        .as(r)
                        .isEqualTo(200);
            }
            ExportedTable exported = new ExportedTable(target, home.resolve("download"));
            JsonNode snapshot = PgExports.run(http, "orders", "snapshot");
            assertThat(http.post("/v1/tables/orders/records", RECORDS[0].replace("a,b", "b,a"))
                            .statusCode())
                    .isEqualTo(200);
            assertThat(http.delete("/v1/tables/orders/records/4").statusCode()).isEqualTo(200);
            JsonNode changes = PgExports.run(http, "orders", "changes");
            List<Path> snapshotFiles = exported.files(snapshot.path("manifest").asText());
            List<Path> changeFiles = exported.files(changes.path("manifest").asText());
            return new Exported(
                    ExportedTable.query(snapshotFiles, "SELECT column_name, column_type FROM (DESCRIBE f)"),
                    ExportedTable.query(snapshotFiles, "SELECT * EXCLUDE (_seq) FROM f ORDER BY id"),
                    ExportedTable.query(changeFiles, "SELECT column_name, column_type FROM (DESCRIBE f)"),
                    ExportedTable.query(changeFiles, "SELECT * EXCLUDE (_seq) FROM f ORDER BY id"));
        }
    }
}
