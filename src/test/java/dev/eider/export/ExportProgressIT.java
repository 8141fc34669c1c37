package dev.eider.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eider.testing.ChildEider;
import dev.eider.testing.Http;
import dev.eider.testing.Jsons;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running export tells how far it has got, in {@code GET /v1/exports/{id}} and in the log; with
 * {@code --log-format json} each log line is an object with the event's fields and an ISO time.
 */
class ExportProgressIT {

    @TempDir
    Path dir;

    @Test
    void runningExport_reportsFilesAndBytesUploaded_inTheApiAndAsJsonLogFields() {
        // The export stops for good after its first data file: "running" long enough to look at.
        Map<String, String> env = Map.of(PauseHook.EXPORTS, "uploading");
        try (ChildEider eider = ChildEider.serve(dir, env, "--log-format", "json")) {
            Http http = eider.http();
            long id = oneRecordExported(http);

            JsonNode progress = await().atMost(Duration.ofSeconds(60))
                    .until(
                            () -> Jsons.parse(http.get("/v1/exports/" + id).body())
                                    .path("progress"),
                            p -> p.path("files_uploaded").asInt() == 1);
            assertThat(progress.path("step").asText()).isEqualTo("uploading");
            assertThat(progress.path("files").asInt()).isEqualTo(1);
            assertThat(progress.path("bytes_uploaded").asLong())
                    .isPositive()
                    .isEqualTo(progress.path("bytes").asLong());
            // The list and the status page show it as its own route does (a trial saw "planned" and no progress there).
            JsonNode listed = null;
            for (JsonNode e : Jsons.parse(http.get("/v1/exports").body()).path("exports")) {
                if (e.path("id").asLong() == id) {
                    listed = e;
                }
            }
            JsonNode latest = Jsons.parse(http.get("/v1/status").body())
                    .path("tables")
                    .get(0)
                    .path("export")
                    .path("latest");
            for (JsonNode view : List.of(listed, latest)) {
                assertThat(view.path("state").asText()).isEqualTo("running");
                assertThat(view.path("progress").path("files_uploaded").asInt()).isOne();
            }

            JsonNode logged =
                    await().atMost(Duration.ofSeconds(30)).until(() -> uploadedEvent(eider.log(), id), e -> e != null);
            assertThat(logged.path("table").asText()).isEqualTo("records");
            assertThat(logged.path("files").asInt()).isEqualTo(1);
            assertThat(logged.path("bytes").asLong())
                    .isEqualTo(progress.path("bytes_uploaded").asLong());
            assertThat(logged.path("level").asText()).isEqualTo("INFO");
            assertThat(Instant.parse(logged.path("@timestamp").asText())).isBefore(Instant.now());
            assertThat(logged.path("message").asText())
                    .isEqualTo("1/1 files uploaded, " + logged.path("bytes").asLong() + " of "
                            + logged.path("total_bytes").asLong() + " bytes sent");
            // Between writing and uploading, a long export says which of the two it is in.
            assertThat(messages(eider.log(), id))
                    .containsSubsequence(
                            "writing Parquet for records snapshot (0, 1]",
                            "wrote 1 Parquet file, " + logged.path("bytes").asLong() + " bytes; uploading",
                            logged.path("message").asText());
        }
    }

    @Test
    void finishedExport_isLoggedAsSucceeded() {
        try (ChildEider eider = ChildEider.serve(dir, Map.of(), "--log-format", "json")) {
            Http http = eider.http();
            long id = oneRecordExported(http);

            // The event was named after the plan's state while running: export_running.
            JsonNode done = await().atMost(Duration.ofSeconds(60))
                    .until(() -> event(eider.log(), id, "export_succeeded"), e -> e != null);
            assertThat(done.path("message").asText()).isEqualTo("export succeeded");
            assertThat(done.path("rows").asLong()).isEqualTo(1);
            assertThat(event(eider.log(), id, "export_running")).isNull();
        }
    }

    /**
     * A stop is not a failure: the export a graceful stop cut short is logged as interrupted (not as failed, at
     * WARN, with the interrupted step's words, as a new-user trial found) and goes on at the next start, without
     * waiting out a failure's retry delay.
     */
    @Test
    void gracefulStop_duringAnExport_isNotAFailure_andTheExportGoesOnAtTheNextStart() {
        ChildEider stopped = ChildEider.serve(dir, Map.of(PauseHook.EXPORTS, "uploading"), "--log-format", "json");
        long id;
        try {
            id = oneRecordExported(stopped.http());
            await().atMost(Duration.ofSeconds(60)).until(() -> stopped.log().contains("\"paused\""));
        } finally {
            stopped.close(); // a graceful stop: SIGTERM, then up to 20 s
        }
        String firstLog = stopped.log();

        assertThat(event(firstLog, id, "export_failed")).isNull();
        JsonNode interrupted = event(firstLog, id, "export_interrupted");
        assertThat(interrupted).isNotNull();
        assertThat(interrupted.path("level").asText()).isEqualTo("INFO");
        assertThat(interrupted.path("message").asText())
                .isEqualTo("the service stopped during the export; it goes on at the next start");
        try (ChildEider eider = ChildEider.serve(dir, Map.of(), "--log-format", "json")) {
            JsonNode done = await().atMost(Duration.ofSeconds(60))
                    .until(
                            () -> Jsons.parse(
                                    eider.http().get("/v1/exports/" + id).body()),
                            e -> e.path("state").asText().equals("succeeded"));
            assertThat(done.path("rows").asLong()).isEqualTo(1);
        }
    }

    /** Stores one record and asks for an export; answers the export's id. */
    private static long oneRecordExported(Http http) {
        assertThat(http.post("/record", "{\"id\": 1, \"value\": \"a\"}").statusCode())
                .isEqualTo(200);
        return Jsons.parse(http.post("/v1/exports", "{}").body()).path("id").asLong();
    }

    private static JsonNode event(String log, long export, String name) {
        return log.lines()
                .filter(l -> l.startsWith("{"))
                .map(Jsons::parse)
                .filter(e -> e.path("event").asText().equals(name))
                .filter(e -> e.path("export").asLong() == export)
                .findFirst()
                .orElse(null);
    }

    /** The messages of the export's progress events, in order. */
    private static List<String> messages(String log, long export) {
        return log.lines()
                .filter(l -> l.startsWith("{"))
                .map(Jsons::parse)
                .filter(e -> e.path("event").asText().equals("export_progress"))
                .filter(e -> e.path("export").asLong() == export)
                .map(e -> e.path("message").asText())
                .toList();
    }

    /** The JSON log line of the export's "uploaded" progress event, or null while there is none. */
    private static JsonNode uploadedEvent(String log, long export) {
        List<JsonNode> events = log.lines()
                .filter(l -> l.startsWith("{"))
                .map(Jsons::parse)
                .filter(e -> e.path("event").asText().equals("export_progress"))
                .filter(e -> e.path("export").asLong() == export)
                .filter(e -> e.has("files"))
                .toList();
        return events.isEmpty() ? null : events.get(0);
    }
}
