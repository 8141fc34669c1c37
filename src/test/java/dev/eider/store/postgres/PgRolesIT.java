package dev.eider.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eider.testing.EmbeddedPg;
import dev.eider.testing.Http;
import dev.eider.testing.RunningEider;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoupled S3 synchronization: an ingest instance takes writes and runs no export; an export instance runs them and takes no writes. */
class PgRolesIT {

    @TempDir
    Path dir;

    @Test
    void roles_ingestPlansAndExportInstanceRunsIt_exportInstanceRefusesWrites() throws Exception {
        String url = EmbeddedPg.freshDatabase();
        String target = "file:" + dir.resolve("exports");
        try (RunningEider ingest = RunningEider.start(
                Files.createDirectories(dir.resolve("ingest")),
                "",
                Map.of("storage.database", url, "role", "ingest", "export.target", target))) {
            Http writer = ingest.http();
            assertThat(writer.post("/record", "{\"id\": 1, \"value\": \"a\"}").statusCode())
                    .isEqualTo(200);
            HttpResponse<String> planned =
                    writer.post("/v1/exports", "{\"table\": \"records\", \"mode\": \"snapshot\"}");
            assertThat(planned.statusCode()).as(planned.body()).isEqualTo(202);
            long id = PgExports.read(planned.body()).path("id").asLong();
            // No instance runs exports yet: the plan waits.
            assertThat(PgExports.read(writer.get("/v1/exports/" + id).body())
                            .path("state")
                            .asText())
                    .isEqualTo("planned");

            try (RunningEider exporter = RunningEider.start(
                    Files.createDirectories(dir.resolve("export")),
                    "",
                    Map.of("storage.database", url, "role", "export", "export.target", target))) {
                HttpResponse<String> refused = exporter.http().post("/record", "{\"id\": 2, \"value\": \"b\"}");
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.body()).contains("role export");
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    JsonNode view =
                            PgExports.read(writer.get("/v1/exports/" + id).body());
                    assertThat(view.path("state").asText()).isEqualTo("succeeded");
                    assertThat(view.path("rows").asLong()).isEqualTo(1);
                });
            }
        }
    }
}
