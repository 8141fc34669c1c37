package dev.eider.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eider.export.PauseHook;
import dev.eider.testing.ChildEider;
import dev.eider.testing.Http;
import dev.eider.testing.RunningEider;
import dev.eider.testing.S3ProxyServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kills the service (kill -9) while a file replace is stopped at each step by the
 * {@link PauseHook}, restarts it, and checks that the record names a complete object (the old
 * one or the new one, never a missing or partial one), and that whatever the crash left behind is
 * an orphan the sweeper removes.
 */
class FilesCrashIT {

    static final String CONFIG = """
      tables:
        - name: docs
          primary_key: id
          columns:
            - {name: id, type: int64}
            - {name: pdf, type: file}
      files:
        multipart_threshold: 5MB
        part_size: 5MB
      """;

    @TempDir
    Path dir;

    S3ProxyServer s3;
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() throws Exception {
        s3 = S3ProxyServer.start(dir, "bucket");
        Files.writeString(dir.resolve("eider.yaml"), CONFIG);
    }

    @AfterEach
    void stop() {
        s3.close();
    }

    @ParameterizedTest(name = "killed at {0}")
    @ValueSource(strings = {"uploaded", "committed", "multipart"})
    void replace_killedAtStep_leavesOldOrNewCompleteObject_andOnlyOrphansBehind(String step) throws Exception {
        byte[] v1 = bytes(1_000, 1);
        byte[] v2 = bytes(step.equals("multipart") ? 12 << 20 : 50_000, 2);
        String v1Key;
        try (ChildEider first = ChildEider.serve(dir, env(null))) {
            Http http = first.http();
            assertThat(http.post("/v1/tables/docs/records", "{\"id\": 1}").statusCode())
                    .isEqualTo(200);
            HttpResponse<String> put = put(http, v1);
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            v1Key = json.readTree(put.body()).path("key").asText();
        }

        ChildEider paused = ChildEider.serve(dir, env(step));
        try {
            Http http = paused.http();
            CompletableFuture.runAsync(() -> {
                try {
                    put(http, v2);
                } catch (RuntimeException killed) {
                    // The connection dies with the process.
                }
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> paused.log().contains("event=paused step=" + step));
        } finally {
            paused.kill();
        }

        boolean newWins = step.equals("committed");
        try (ChildEider restarted = ChildEider.serve(dir, env(null))) {
            Http http = restarted.http();
            JsonNode ref =
                    json.readTree(http.get("/v1/tables/docs/records/1").body()).path("pdf");
            byte[] expected = newWins ? v2 : v1;
            assertThat(ref.path("size").asLong()).isEqualTo(expected.length);
            if (newWins) {
                assertThat(ref.path("key").asText()).isNotEqualTo(v1Key);
            } else {
                assertThat(ref.path("key").asText()).isEqualTo(v1Key);
            }
            assertThat(getBytes(http, "/v1/tables/docs/records/1/files/pdf")).isEqualTo(expected);
        }

        // The sweeper, two hours later (an injected clock), on the same database and bucket.
        try (RunningEider later = RunningEider.start(dir, CONFIG, flags())) {
            FileJanitor.Sweep sweep = later.eider()
                    .fileJanitor(Clock.offset(Clock.systemUTC(), Duration.ofHours(2)))
                    .sweep();
            assertThat(sweep.missing()).isEmpty();
            assertThat(sweep.orphansDeleted()).isEqualTo(step.equals("uploaded") ? 1 : 0);
            if (step.equals("multipart")) {
                assertThat(sweep.uploadsAborted()).isEqualTo(1);
            }
        }
        List<String> left =
                s3.client().listObjectsV2(b -> b.bucket("bucket").prefix("crash/_files/")).contents().stream()
                        .map(o -> o.key())
                        // The folder's claim (crash/_files/_claim.json) is Eider's own, not a file.
                        .filter(k -> !k.startsWith("crash/_files/_"))
                        .toList();
        // A replace keeps the old object until its pending deletion is due.
        assertThat(left).hasSize(newWins ? 2 : 1).contains("crash/_files/" + v1Key);
        assertThat(s3.client().listMultipartUploads(b -> b.bucket("bucket")).uploads())
                .isEmpty();
    }

    private HttpResponse<String> put(Http http, byte[] content) {
        return http.send(http.request("/v1/tables/docs/records/1/files/pdf")
                .header("Content-Type", "application/pdf")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
    }

    private static byte[] getBytes(Http http, String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(http.request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray())
                .body();
    }

    private Map<String, String> env(String pauseAt) {
        Map<String, String> env = new HashMap<>(s3.environment("crash"));
        if (pauseAt != null) {
            env.put(PauseHook.FILES, pauseAt);
        }
        return env;
    }

    private Map<String, String> flags() {
        return Map.of(
                "export.target", "s3://bucket/crash",
                "export.s3.endpoint", s3.endpoint(),
                "export.s3.path_style", "true");
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
