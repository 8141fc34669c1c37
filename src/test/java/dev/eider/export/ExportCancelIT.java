package dev.eider.export;

import static dev.eider.export.ExportWait.finish;
import static dev.eider.export.ExportWait.start;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eider.testing.EiderServer;
import dev.eider.testing.Http;
import dev.eider.testing.Jsons;
import dev.eider.testing.RunningEider;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code DELETE /v1/exports/{id}}: a failing export is cancelled and the table is free for a new plan. */
class ExportCancelIT {

    @RegisterExtension
    final EiderServer eider = EiderServer.withDefaults();

    @TempDir
    Path dir;

    @Test
    void delete_failingExport_cancelsItAndFreesTheTable() throws IOException {
        try (RunningEider failing = RunningEider.start(dir, "", unreachableBucket())) {
            Http http = failing.http();
            assertThat(http.post("/record", "{\"id\": 1, \"value\": \"a\"}").statusCode())
                    .isEqualTo(200);
            long id = start(http, "snapshot");
            assertThat(finish(http, id).path("state").asText()).isEqualTo("failed");
            assertThat(http.post("/v1/exports", "{\"mode\": \"snapshot\"}").statusCode())
                    .as("the table is busy with the failing export")
                    .isEqualTo(409);
            JsonNode ready = Jsons.parse(http.get("/health/ready").body());
            assertThat(ready.path("exports").asText()).isEqualTo("failing");
            assertThat(ready.path("failing_exports").get(0).path("id").asLong()).isEqualTo(id);

            var cancelled = http.delete("/v1/exports/" + id);

            assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
            assertThat(Jsons.parse(cancelled.body()).path("state").asText()).isEqualTo("cancelled");
            assertThat(Jsons.parse(http.get("/v1/exports/" + id).body())
                            .path("state")
                            .asText())
                    .isEqualTo("cancelled");
            assertThat(http.delete("/v1/exports/" + id).statusCode()).isEqualTo(409);
            var next = http.post("/v1/exports", "{\"mode\": \"snapshot\"}");
            assertThat(next.statusCode()).as(next.body()).isEqualTo(202);
            assertThat(Jsons.parse(next.body()).path("id").asLong()).isNotEqualTo(id);
        }
    }

    @Test
    void delete_unknownOrFinishedExport_answers404Or409() {
        Http http = eider.http();
        assertThat(http.post("/record", "{\"id\": 1, \"value\": \"a\"}").statusCode())
                .isEqualTo(200);
        long id = start(http, "snapshot");
        assertThat(finish(http, id).path("state").asText()).isEqualTo("succeeded");

        var finished = http.delete("/v1/exports/" + id);
        assertThat(finished.statusCode()).isEqualTo(409);
        assertThat(finished.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(http.delete("/v1/exports/999").statusCode()).isEqualTo(404);
        // An id that cannot exist is not there, as a record key that cannot exist is not.
        assertThat(http.delete("/v1/exports/abc").statusCode()).isEqualTo(404);
        assertThat(Jsons.parse(http.get("/health/ready").body()).path("exports").asText())
                .isEqualTo("ok");
    }

    @Test
    void post_bodyOfWhiteSpaceOnly_isTakenAsEmpty() {
        // A trial: an empty body started an export, one of spaces was 400 "must be a JSON object".
        Http http = eider.http();
        assertThat(http.post("/record", "{\"id\": 1, \"value\": \"a\"}").statusCode())
                .isEqualTo(200);

        var r = http.post("/v1/exports", "  \n ");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        finish(http, Jsons.parse(r.body()).path("id").asLong());
    }

    /** An S3 target whose endpoint refuses connections: every export fails. */
    private static Map<String, String> unreachableBucket() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return Map.of(
                "export.target", "s3://nowhere/x",
                "export.s3.endpoint", "http://127.0.0.1:" + port,
                "export.s3.path_style", "true");
    }
}
