package dev.eider.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eider.export.PauseHook;
import dev.eider.export.S3Target;
import dev.eider.testing.ChildEider;
import dev.eider.testing.EmbeddedPg;
import dev.eider.testing.ExportedTable;
import dev.eider.testing.Http;
import dev.eider.testing.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two instances on one PostgreSQL: the one running a change export is killed (kill -9) while the
 * {@link PauseHook} holds it at a step; the other takes the table's export lease once it expires,
 * completes the same plan, and every acknowledged change is in S3 exactly once.
 */
class PgExportTakeoverIT {

    @TempDir
    Path dir;

    S3ProxyServer s3;
    String database;
    /** The last acknowledged value per id (deleted ids absent). */
    final Map<Long, String> expected = new TreeMap<>();

    @BeforeEach
    void start() throws Exception {
        s3 = S3ProxyServer.start(dir, "bucket");
        database = EmbeddedPg.freshDatabase();
    }

    @AfterEach
    void stop() throws Exception {
        s3.close();
    }

    @ParameterizedTest(name = "holder killed at {0}")
    @ValueSource(strings = {"uploading", "head"})
    void export_holderKilledMidExport_anotherInstanceFinishesItExactlyOnce(String step) throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        // A short lease: the survivor takes over within 3 s of the holder's death rather than 30.
        for (Path instance : List.of(a, b)) {
            Files.writeString(instance.resolve("eider.yaml"), "storage:\n  export_lease: 3s\n");
        }
        try (ChildEider first = ChildEider.serve(a, env(null))) {
            Http http = first.http();
            for (long id = 1; id <= 30; id++) {
                upsert(http, id, "v1");
            }
            PgExports.run(http, "snapshot");
        }
        ChildEider holder = ChildEider.serve(a, env(step));
        try (ChildEider other = startedAfterPause(holder, b, step)) {
            Http http = other.http();
            holder.kill();
            // The plan the holder was running: the newest.
            long crashed = PgExports.read(http.get("/v1/exports").body())
                    .get("exports")
                    .get(0)
                    .path("id")
                    .asLong();
            await().atMost(Duration.ofSeconds(120))
                    .untilAsserted(() -> assertThat(PgExports.read(
                                            http.get("/v1/exports/" + crashed).body())
                                    .path("state")
                                    .asText())
                            .isEqualTo("succeeded"));
            upsert(http, 5, "v3");
            delete(http, 31);
            PgExports.run(http, "changes");
        }

        ExportedTable bucket = new ExportedTable(
                new S3Target(s3.client(), "bucket", "takeover", 64L << 20, 16L << 20), dir.resolve("download"));
        assertThat(bucket.head("records").path("changes")).hasSize(2);
        assertThat(bucket.replay("records", "value")).isEqualTo(expected);
    }

    /** Writes through the holder until it is stuck in its export, then starts the second instance. */
    private ChildEider startedAfterPause(ChildEider holder, Path b, String step) {
        try {
            Http http = holder.http();
            for (long id = 1; id <= 30; id += 3) {
                upsert(http, id, "v2");
            }
            for (long id = 2; id <= 30; id += 5) {
                delete(http, id);
            }
            upsert(http, 31, "new");
            var started = http.post("/v1/exports", "{\"table\": \"records\", \"mode\": \"changes\"}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> holder.log().contains("event=paused step=" + step));
            // Acknowledged while the export is stuck: must land in the next export, not this one.
            upsert(http, 4, "v3");
            return ChildEider.serve(b, env(null));
        } catch (RuntimeException | Error e) {
            holder.kill();
            throw e;
        }
    }

    private Map<String, String> env(String pauseAt) {
        Map<String, String> env = new HashMap<>(s3.environment("takeover"));
        env.put("EIDER_DATABASE", database);
        if (pauseAt != null) {
            env.put(PauseHook.EXPORTS, pauseAt);
        }
        return env;
    }

    private void upsert(Http http, long id, String value) {
        var r = http.post("/record", "{\"id\": " + id + ", \"value\": \"" + value + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        expected.put(id, value);
    }

    private void delete(Http http, long id) {
        assertThat(http.delete("/v1/tables/records/records/" + id).statusCode()).isEqualTo(200);
        expected.remove(id);
    }
}
