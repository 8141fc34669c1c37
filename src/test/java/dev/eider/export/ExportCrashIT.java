package dev.eider.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eider.testing.ChildEider;
import dev.eider.testing.ExportedTable;
import dev.eider.testing.Http;
import dev.eider.testing.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kills the service (kill -9) while a change export is stopped at each of its steps by the
 * {@link PauseHook} test hook, restarts it, and checks from the manifests alone that every
 * acknowledged change is in the bucket exactly once.
 */
class ExportCrashIT {

    static final String CONFIG = """
      tables:
        - name: events
          primary_key: id
          columns:
            - {name: id, type: int64}
            - {name: day, type: date, nullable: true}
            - {name: note, type: string, nullable: true}
          export:
            every: 1h
            partition_by: day
      """;

    @TempDir
    Path dir;

    S3ProxyServer s3;
    final ObjectMapper json = new ObjectMapper();
    /** The last acknowledged state per id (null: deleted). */
    final Map<Long, String> expected = new TreeMap<>();

    @BeforeEach
    void start() throws Exception {
        s3 = S3ProxyServer.start(dir, "bucket");
        Files.writeString(dir.resolve("eider.yaml"), CONFIG);
    }

    @AfterEach
    void stop() throws Exception {
        s3.close();
    }

    @ParameterizedTest(name = "killed at {0}")
    @ValueSource(strings = {"planned", "uploading", "manifest", "head", "done"})
    void export_afterCrashAtStep_writesEachChangeOnce(String step) throws Exception {
        snapshotOfThirtyRecords();

        long crashed;
        ChildEider paused = ChildEider.serve(dir, env(step));
        try {
            Http http = paused.http();
            for (long id = 1; id <= 30; id += 3) {
                upsert(http, id, "v2");
            }
            for (long id = 2; id <= 30; id += 5) {
                delete(http, id);
            }
            upsert(http, 31, "new");
            crashed = startExport(http, "changes");
            await().atMost(Duration.ofSeconds(30)).until(() -> paused.log().contains("event=paused step=" + step));
            // Acknowledged while the export is stuck: must land in the next export, not this one.
            upsert(http, 4, "v3");
        } finally {
            paused.kill();
        }

        try (ChildEider restarted = ChildEider.serve(dir, env(null))) {
            Http http = restarted.http();
            awaitSucceeded(http, crashed);
            upsert(http, 5, "v3");
            delete(http, 31);
            awaitSucceeded(http, startExport(http, "changes"));
        }

        assertThat(readThroughManifests()).isEqualTo(expected);
    }

    /**
     * A cancel that lands after the manifest went up cannot take it back (the head may list it already). The next
     * plan over the same range met that manifest and failed for ever, blocking the table's exports (a new-user
     * trial); it now takes the cancelled plan's complete files for its own.
     */
    @ParameterizedTest(name = "cancelled while stopped at {0}")
    @ValueSource(strings = {"uploading", "head", "done"})
    void export_ofTheRangeOfAnExportCancelledLate_succeedsWithEachChangeOnce(String step) throws Exception {
        snapshotOfThirtyRecords();

        long cancelled;
        ChildEider paused = ChildEider.serve(dir, env(step));
        try {
            Http http = paused.http();
            for (long id = 1; id <= 30; id += 3) {
                upsert(http, id, "v2");
            }
            delete(http, 2);
            cancelled = startExport(http, "changes");
            await().atMost(Duration.ofSeconds(30)).until(() -> paused.log().contains("event=paused step=" + step));
            var r = http.delete("/v1/exports/" + cancelled);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        } finally {
            paused.kill();
        }

        try (ChildEider restarted = ChildEider.serve(dir, env(null))) {
            Http http = restarted.http();
            // No write since: the same range as the cancelled plan's, so the same keys.
            awaitSucceeded(http, startExport(http, "changes"));
            assertThat(json.readTree(http.get("/v1/exports/" + cancelled).body())
                            .path("state")
                            .asText())
                    .isEqualTo("cancelled");
        }

        assertThat(readThroughManifests(1)).isEqualTo(expected);
    }

    /** Writes records 1 to 30 and exports them as the table's snapshot, in a process of their own. */
    private void snapshotOfThirtyRecords() throws Exception {
        try (ChildEider first = ChildEider.serve(dir, env(null))) {
            Http http = first.http();
            for (long id = 1; id <= 30; id++) {
                upsert(http, id, "v1");
            }
            awaitSucceeded(http, startExport(http, "snapshot"));
        }
    }

    private Map<Long, String> readThroughManifests() {
        return readThroughManifests(2);
    }

    private Map<Long, String> readThroughManifests(int changeExports) {
        ExportedTable bucket = new ExportedTable(
                new S3Target(s3.client(), "bucket", "crash", 64L << 20, 16L << 20), dir.resolve("download"));
        assertThat(bucket.head("events").path("changes")).hasSize(changeExports);
        return bucket.replay("events", "note");
    }

    private Map<String, String> env(String pauseAt) {
        Map<String, String> env = new HashMap<>(s3.environment("crash"));
        if (pauseAt != null) {
            env.put(PauseHook.EXPORTS, pauseAt);
        }
        return env;
    }

    private void upsert(Http http, long id, String note) {
        String day = "2024-05-0" + (1 + id % 3);
        var r = http.post(
                "/v1/tables/events/records",
                "{\"id\": " + id + ", \"day\": \"" + day + "\", \"note\": \"" + note + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        expected.put(id, note);
    }

    private void delete(Http http, long id) {
        assertThat(http.delete("/v1/tables/events/records/" + id).statusCode()).isEqualTo(200);
        expected.remove(id);
    }

    private long startExport(Http http, String mode) throws Exception {
        var r = http.post("/v1/exports", "{\"table\": \"events\", \"mode\": \"" + mode + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return json.readTree(r.body()).path("id").asLong();
    }

    private void awaitSucceeded(Http http, long id) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> json.readTree(http.get("/v1/exports/" + id).body())
                        .path("state")
                        .asText()
                        .equals("succeeded"));
    }
}
