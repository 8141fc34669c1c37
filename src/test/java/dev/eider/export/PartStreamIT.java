package dev.eider.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eider.testing.ChildEider;
import dev.eider.testing.EmbeddedPg;
import dev.eider.testing.ExportedTable;
import dev.eider.testing.Http;
import dev.eider.testing.Jsons;
import dev.eider.testing.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot larger than one part goes up in parts while DuckDB still writes it; killed (kill -9) after
 * a part was sent, the next attempt still writes every row exactly once and leaves no upload behind. An
 * upload in parts that fails, or finds an object at its key, is aborted at S3.
 */
class PartStreamIT {

    static final String CONFIG = """
      export:
        every: 1h
        s3: {part_size: 5MB}
      """;

    @TempDir
    Path dir;

    S3ProxyServer s3;
    final Map<Long, String> expected = new TreeMap<>();
    /** With -Deider.test.store=postgres the service keeps its records (and export plans) in PostgreSQL. */
    final Map<String, String> store =
            EmbeddedPg.selected() ? Map.of("EIDER_DATABASE", EmbeddedPg.freshDatabase()) : Map.of();

    @BeforeEach
    void start() throws Exception {
        s3 = S3ProxyServer.start(dir, "bucket");
        Files.writeString(dir.resolve("eider.yaml"), CONFIG);
    }

    @AfterEach
    void stop() throws Exception {
        s3.close();
    }

    @Test
    void snapshot_largerThanAPart_isExportedOnceAndReadsBackExactly() {
        try (ChildEider eider = ChildEider.serve(dir, env(null))) {
            Http http = eider.http();
            load(http, 1);
            JsonNode done = awaitSucceeded(http, startExport(http));
            assertThat(done.path("bytes").asLong()).as("more than one part").isGreaterThan(5L << 20);
        }
        assertThat(bucket().replay("records", "value")).isEqualTo(expected);
        assertNoUploadLeft();
        var data =
                s3
                        .client()
                        .listObjectsV2(b -> b.bucket("bucket").prefix("parts/records/snapshots/"))
                        .contents()
                        .stream()
                        .filter(o -> o.key().endsWith(".parquet"))
                        .toList();
        assertThat(data).isNotEmpty();
        assertThat(data)
                .as(
                        "completed from the parts sent while DuckDB wrote it (such an object has no sha256), not sent again")
                .allSatisfy(o -> assertThat(s3.client()
                                .headObject(b -> b.bucket("bucket").key(o.key()))
                                .metadata())
                        .doesNotContainKey(S3Target.SHA256));
    }

    @Test
    void snapshot_killedAfterAPartWasSent_isExportedOnceAfterRestart() {
        long crashed;
        ChildEider paused = ChildEider.serve(dir, env("streaming"));
        try {
            Http http = paused.http();
            load(http, 1);
            crashed = startExport(http);
            await().atMost(Duration.ofSeconds(60)).until(() -> paused.log().contains("event=paused step=streaming"));
        } finally {
            paused.kill();
        }
        try (ChildEider restarted = ChildEider.serve(dir, env(null))) {
            Http http = restarted.http();
            awaitSucceeded(http, crashed);
            load(http, 2);
            awaitSucceeded(http, startExport(http));
        }
        assertThat(bucket().replay("records", "value")).isEqualTo(expected);
        assertNoUploadLeft();
    }

    /**
     * The API shows the bytes already sent in parts (a new-user trial saw zero through a 10 s upload): while DuckDB
     * still writes, the step is "writing" and the totals are not known yet; after, "uploading" with them. The attempt
     * shows as the first, begun, before its file list is recorded, and still once cancelled (a trial saw a cancelled
     * export with no attempt and no start beside the progress it no longer made).
     */
    @Test
    void snapshot_sentInParts_showsTheBytesSent_andItsAttempt_alsoOnceCancelled() {
        try (ChildEider paused = ChildEider.serve(dir, env("streaming"))) {
            Http http = paused.http();
            load(http, 1);
            long id = startExport(http);
            await().atMost(Duration.ofSeconds(60)).until(() -> paused.log().contains("event=paused step=streaming"));

            JsonNode progress =
                    Jsons.parse(http.get("/v1/exports/" + id).body()).path("progress");
            assertThat(progress.path("bytes_uploaded").asLong()).isEqualTo(5L << 20);
            assertThat(progress.path("files_uploaded").asInt()).isZero();
            // The first part goes while DuckDB writes, or (when it was quicker than the watcher's look) just after.
            if (progress.path("step").asText().equals("writing")) {
                assertThat(progress.path("files").isNull())
                        .as("not known while written")
                        .isTrue();
                assertThat(progress.path("bytes").isNull())
                        .as("not known while written")
                        .isTrue();
            } else {
                assertThat(progress.path("step").asText()).isEqualTo("uploading");
                assertThat(progress.path("files").asInt()).isEqualTo(1);
                assertThat(progress.path("bytes").asLong()).isGreaterThan(5L << 20);
            }
            JsonNode running = Jsons.parse(http.get("/v1/exports/" + id).body());
            assertThat(running.path("attempts").asInt()).isOne();
            String started = running.path("started_at").asText();
            assertThat(Instant.parse(started)).isBefore(Instant.now());

            var deleted = http.delete("/v1/exports/" + id);
            assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
            for (JsonNode view : List.of(
                    Jsons.parse(deleted.body()),
                    Jsons.parse(http.get("/v1/exports/" + id).body()))) {
                assertThat(view.path("state").asText()).isEqualTo("cancelled");
                assertThat(view.path("attempts").asInt()).isOne();
                assertThat(Instant.parse(view.path("started_at").asText()))
                        .isCloseTo(Instant.parse(started), within(1, ChronoUnit.MILLIS));
                assertThat(view.has("progress")).as(view.toString()).isFalse();
            }
        }
    }

    /**
     * A stop right after a cancel cut the cancel's discard short and left an unfinished upload that no later
     * plan's range reached (a new-user trial): the first export of a table in a process aborts what is unfinished
     * under the table.
     */
    @Test
    void unfinishedUploadUnderATable_isAbortedByTheTablesFirstExportInAProcess() {
        s3.client()
                .createMultipartUpload(
                        b -> b.bucket("bucket").key("parts/records/snapshots/00000000000000000007/part-0.parquet"));
        try (ChildEider eider = ChildEider.serve(dir, env(null))) {
            Http http = eider.http();
            assertThat(http.post("/record", "{\"id\": 1, \"value\": \"a\"}").statusCode())
                    .isEqualTo(200);
            awaitSucceeded(http, startExport(http));
        }
        assertNoUploadLeft();
    }

    @Test
    void partStream_partFailsToSend_leavesNoUpload() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path file = randomFile(data.resolve("part-0.parquet"), 12 << 20);
        ExportTarget failing = new FailingTarget(s3Target(), 2);
        try (PartStreamer streamer = streamer(failing, data)) {
            assertThatThrownBy(() -> streamer.finish(List.of(parquet(data, file))))
                    .hasMessageContaining("part 2");
        }
        assertNoUploadLeft();
        assertThat(s3.client().listObjectsV2(b -> b.bucket("bucket")).contents())
                .as("nothing visible")
                .isEmpty();
    }

    @Test
    void partStream_objectAlreadyAtTheKey_answersConflictAndLeavesNoUpload() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path file = randomFile(data.resolve("part-0.parquet"), 6 << 20);
        S3Target target = s3Target();
        Path other = randomFile(dir.resolve("other.parquet"), 1 << 10);
        target.put("t/s/part-0.parquet", other, Sha256.of(other));
        try (PartStreamer streamer = streamer(target, data)) {
            PartStreamer.Streamed s =
                    streamer.finish(List.of(parquet(data, file))).get(file);
            assertThat(streamer.complete(s)).isEqualTo(ExportTarget.Outcome.CONFLICT);
        }
        assertNoUploadLeft();
        assertThat(target.read("t/s/part-0.parquet")).hasValue(Files.readAllBytes(other));
    }

    @Test
    void abortUnfinished_abortsUploadsUnderThePrefixOnly() {
        S3Target target = s3Target();
        target.startParts("t/s/a.parquet");
        target.startParts("t/s/b/c.parquet");
        target.startParts("t/s2/a.parquet");

        target.abortUnfinished("t/s/");

        assertThat(s3.client().listMultipartUploads(b -> b.bucket("bucket")).uploads())
                .extracting(u -> u.key())
                .containsExactly("parts/t/s2/a.parquet");
    }

    private S3Target s3Target() {
        return new S3Target(s3.client(), "bucket", "parts", 64L << 20, 5L << 20);
    }

    private static PartStreamer streamer(ExportTarget target, Path data) {
        return new PartStreamer(
                target,
                data,
                "t/s",
                CompletableFuture.completedFuture(null),
                PauseHook.NONE,
                1,
                sent -> {},
                () -> false);
    }

    private static ParquetFile parquet(Path data, Path file) throws Exception {
        return new ParquetFile(file, data.relativize(file).toString(), 1, Files.size(file));
    }

    private static Path randomFile(Path file, int size) throws Exception {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return Files.write(file, bytes);
    }

    /** The S3 target, but its uploads in parts fail at one part, as a store that goes away would. */
    private static final class FailingTarget extends ForwardingTarget {
        private final int failAt;

        FailingTarget(S3Target s3, int failAt) {
            super(s3);
            this.failAt = failAt;
        }

        @Override
        public PartUpload startParts(String key) {
            PartUpload upload = super.startParts(key);
            return new PartUpload() {
                int parts;

                @Override
                public void send(byte[] bytes, int length) {
                    if (++parts == failAt) {
                        throw new TargetException("cannot send part " + parts + " of " + key, null);
                    }
                    upload.send(bytes, length);
                }

                @Override
                public Outcome complete(String sha256) {
                    return upload.complete(sha256);
                }

                @Override
                public void abort() {
                    upload.abort();
                }
            };
        }
    }

    /** About 9 MB of Parquet: 12,000 rows of 1,000 characters that zstd cannot shrink much. */
    private void load(Http http, int round) {
        Random random = new Random(round);
        StringBuilder body = new StringBuilder();
        byte[] bytes = new byte[750];
        for (long id = 1; id <= 12_000; id++) {
            random.nextBytes(bytes);
            String value = Base64.getEncoder().encodeToString(bytes);
            body.append("{\"id\": ")
                    .append(id)
                    .append(", \"value\": \"")
                    .append(value)
                    .append("\"}\n");
            expected.put(id, value);
        }
        var r = http.post("/v1/tables/records/records", "application/x-ndjson", body.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private ExportedTable bucket() {
        return new ExportedTable(
                new S3Target(s3.client(), "bucket", "parts", 64L << 20, 16L << 20), dir.resolve("download"));
    }

    private void assertNoUploadLeft() {
        assertThat(s3.client().listMultipartUploads(b -> b.bucket("bucket")).uploads())
                .as("no unfinished multipart upload")
                .isEmpty();
    }

    private Map<String, String> env(String pauseAt) {
        Map<String, String> env = new HashMap<>(s3.environment("parts"));
        env.putAll(store);
        if (pauseAt != null) {
            env.put(PauseHook.EXPORTS, pauseAt);
        }
        return env;
    }

    private static long startExport(Http http) {
        var r = http.post("/v1/exports", "{\"table\": \"records\", \"mode\": \"snapshot\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return Jsons.parse(r.body()).path("id").asLong();
    }

    private static JsonNode awaitSucceeded(Http http, long id) {
        return await().atMost(Duration.ofSeconds(90))
                .until(
                        () -> Jsons.parse(http.get("/v1/exports/" + id).body()),
                        v -> v.path("state").asText().equals("succeeded"));
    }
}
