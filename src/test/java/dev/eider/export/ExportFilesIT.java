package dev.eider.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eider.testing.Http;
import dev.eider.testing.Jsons;
import dev.eider.testing.RunningEider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a manifest says of each file (rows, bytes) is what the file holds, for one file and for several (the
 * crash suite's table, partitioned by day).
 */
class ExportFilesIT {

    @TempDir
    Path dir;

    @Test
    void export_severalFilesAndOne_manifestCountsTheRowsAndBytesOfEach() throws Exception {
        try (RunningEider eider = RunningEider.start(dir, ExportCrashIT.CONFIG, Map.of())) {
            Http http = eider.http();
            for (long id = 1; id <= 10; id++) {
                upsert(http, id, "\"2024-05-0" + (1 + id % 3) + "\"");
            }
            upsert(http, 11, "null");

            JsonNode snapshot = manifest(export(http, "snapshot"));
            assertThat(snapshot.path("files")).hasSize(4); // three days and no day
            assertThat(snapshot.path("rows").asLong()).isEqualTo(11);
            assertEachFileAsCounted(snapshot);

            upsert(http, 1, "\"2024-05-09\"");
            upsert(http, 2, "\"2024-05-09\"");
            JsonNode changes = manifest(export(http, "changes"));
            assertThat(changes.path("files")).hasSize(1);
            assertThat(changes.path("rows").asLong()).isEqualTo(2);
            assertEachFileAsCounted(changes);
        }
    }

    private void assertEachFileAsCounted(JsonNode manifest) throws Exception {
        long rows = 0;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = c.createStatement()) {
            for (JsonNode f : manifest.path("files")) {
                Path file = dir.resolve("exports").resolve(f.path("key").asText());
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM read_parquet('" + file + "')")) {
                    rs.next();
                    assertThat(rs.getLong(1))
                            .as(f.toString())
                            .isEqualTo(f.path("rows").asLong());
                }
                assertThat(Files.size(file))
                        .as(f.toString())
                        .isEqualTo(f.path("bytes").asLong());
                rows += f.path("rows").asLong();
            }
        }
        assertThat(rows).isEqualTo(manifest.path("rows").asLong());
    }

    private static void upsert(Http http, long id, String day) {
        var r = http.post("/v1/tables/events/records", "{\"id\": " + id + ", \"day\": " + day + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static JsonNode export(Http http, String mode) {
        var r = http.post("/v1/exports", "{\"table\": \"events\", \"mode\": \"" + mode + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        long id = Jsons.parse(r.body()).path("id").asLong();
        JsonNode done = await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> Jsons.parse(http.get("/v1/exports/" + id).body()),
                        e -> !e.path("state").asText().matches("planned|running"));
        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("succeeded");
        return done;
    }

    private JsonNode manifest(JsonNode export) throws Exception {
        return Jsons.parse(Files.readString(
                dir.resolve("exports").resolve(export.path("manifest").asText())));
    }
}
