package dev.eider.export;

import static dev.eider.export.ExportWait.finish;
import static dev.eider.export.ExportWait.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eider.testing.ExportedTable;
import dev.eider.testing.Http;
import dev.eider.testing.Jsons;
import dev.eider.testing.RunningEider;
import dev.eider.testing.S3ProxyServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two databases pointed at one target: the first to export owns the table's prefix, the second is
 * refused with both identities named, and not one byte of the first's exports changes.
 */
class SharedTargetIT {

    @TempDir
    Path dir;

    @Test
    void export_secondDatabaseOnSameFolder_isRefusedAndFirstStaysRestorable() throws Exception {
        Map<String, String> target = Map.of("export.target", "file:" + dir.resolve("shared"));
        try (RunningEider a = RunningEider.start(dir.resolve("a"), "", target);
                RunningEider b = RunningEider.start(dir.resolve("b"), "", target)) {
            FolderTarget folder = new FolderTarget(dir.resolve("shared"));
            secondIsRefused(a.http(), b.http(), folder, () -> folderDigests(dir.resolve("shared")));
        }
    }

    @Test
    void export_secondDatabaseOnSameBucket_isRefusedAndFirstStaysRestorable() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start(dir, "exports")) {
            Map<String, String> target = s3.exportFlags("exports/shared");
            try (RunningEider a = RunningEider.start(dir.resolve("a"), "", target);
                    RunningEider b = RunningEider.start(dir.resolve("b"), "", target);
                    S3Target bucket = new S3Target(s3.client(), "exports", "shared", 64L << 20, 16L << 20)) {
                secondIsRefused(a.http(), b.http(), bucket, () -> bucketDigests(s3));
            }
        }
    }

    private void secondIsRefused(Http a, Http b, ExportTarget target, Supplier<Map<String, String>> digests)
            throws IOException {
        for (int i = 1; i <= 3; i++) {
            assertThat(a.post("/record", "{\"id\": " + i + ", \"value\": \"a" + i + "\"}")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(b.post("/record", "{\"id\": " + i + ", \"value\": \"b" + i + "\"}")
                            .statusCode())
                    .isEqualTo(200);
        }
        assertThat(finish(a, start(a, "snapshot")).path("state").asText()).isEqualTo("succeeded");
        assertThat(finish(a, start(a, "changes")).path("state").asText()).isIn("succeeded", "skipped");
        ExportedTable exported = new ExportedTable(target, Files.createDirectories(dir.resolve("read")));
        String owner = exported.head("records").path("database_id").asText();
        assertThat(owner).matches(UUID_PATTERN);
        Map<String, String> before = digests.get();

        long refused = start(b, "changes");
        JsonNode failed = finish(b, refused);

        assertThat(failed.path("state").asText()).isEqualTo("failed");
        // A trial (round sixteen): an attempt that failed before its file list showed no start.
        assertThat(Instant.parse(failed.path("started_at").asText()))
                .isBeforeOrEqualTo(Instant.parse(failed.path("finished_at").asText()));
        assertThat(failed.path("duration_ms").isNumber()).isTrue();
        assertThat(failed.path("error").asText())
                .contains(owner)
                .containsPattern("this database is " + UUID_PATTERN)
                .contains("export.target");
        assertThat(digests.get())
                .as("every object of the first database, byte for byte")
                .isEqualTo(before);
        assertThat(exported.replay("records", "value")).isEqualTo(Map.of(1L, "a1", 2L, "a2", 3L, "a3"));
        JsonNode manifest = exported.json(
                exported.head("records").path("snapshot").path("manifest").asText());
        assertThat(manifest.path("database_id").asText()).isEqualTo(owner);

        var ready = b.get("/health/ready");
        assertThat(ready.statusCode()).as("writes still accepted").isEqualTo(200);
        JsonNode health = Jsons.parse(ready.body());
        assertThat(health.path("exports").asText()).isEqualTo("failing");
        assertThat(health.path("failing_exports").get(0).path("table").asText()).isEqualTo("records");
        assertThat(health.path("failing_exports").get(0).path("error").asText()).contains(owner);
        assertThat(Jsons.parse(a.get("/health/ready").body()).path("exports").asText())
                .isEqualTo("ok");
    }

    @Test
    void claim_manyDatabasesRacingOnFolder_exactlyOneWins() throws Exception {
        try (FolderTarget folder = new FolderTarget(dir.resolve("race"))) {
            assertOneWinner(folder);
        }
    }

    @Test
    void claim_manyDatabasesRacingOnBucket_exactlyOneWins() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start(dir, "exports");
                S3Target bucket = new S3Target(s3.client(), "exports", "race", 64L << 20, 16L << 20)) {
            assertOneWinner(bucket);
        }
    }

    @Test
    void claim_sameDatabaseAgain_isAccepted() throws Exception {
        try (FolderTarget folder = new FolderTarget(dir.resolve("again"))) {
            String id = UUID.randomUUID().toString();
            TargetClaim.claim(folder, "records", id);
            TargetClaim.claim(folder, "records", id);
            assertThatThrownBy(() -> TargetClaim.claim(
                            folder, "records", UUID.randomUUID().toString()))
                    .isInstanceOf(TargetClaimedException.class)
                    .hasMessageContaining(id);
        }
    }

    @Test
    void claim_unclaimedHeadOfAnotherDatabase_isRefused() throws Exception {
        try (FolderTarget folder = new FolderTarget(dir.resolve("legacy"))) {
            Files.createDirectories(dir.resolve("legacy/records"));
            // A head of an Eider from before identities, and one naming another database.
            Files.writeString(
                    dir.resolve("legacy/records/_head.json"),
                    "{\"format\": \"eider-head/1\", \"table\": \"records\", \"through_sequence\": 3, \"changes\": []}");
            assertThatThrownBy(() -> TargetClaim.claim(
                            folder, "records", UUID.randomUUID().toString()))
                    .isInstanceOf(TargetClaimedException.class)
                    .hasMessageContaining("predates identities");
            String other = UUID.randomUUID().toString();
            Files.writeString(
                    dir.resolve("legacy/records/_head.json"),
                    "{\"format\": \"eider-head/1\", \"database_id\": \"" + other
                            + "\", \"table\": \"records\", \"through_sequence\": 3, \"changes\": []}");
            assertThatThrownBy(() -> TargetClaim.claim(
                            folder, "records", UUID.randomUUID().toString()))
                    .isInstanceOf(TargetClaimedException.class)
                    .hasMessageContaining(other);
            assertThat(folder.read("records/_claim.json")).isEmpty();
        }
    }

    private void assertOneWinner(ExportTarget target) throws Exception {
        int n = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = UUID.randomUUID().toString();
                Callable<String> claim = () -> {
                    go.await();
                    try {
                        TargetClaim.claim(target, "records", id);
                        return id;
                    } catch (TargetClaimedException e) {
                        return "refused";
                    }
                };
                results.add(pool.submit(claim));
            }
            go.countDown();
            List<String> winners = new ArrayList<>();
            for (Future<String> r : results) {
                String outcome = r.get();
                if (!outcome.equals("refused")) {
                    winners.add(outcome);
                }
            }
            assertThat(winners).hasSize(1);
            JsonNode claim =
                    Jsons.parse(new String(target.read("records/_claim.json").orElseThrow()));
            assertThat(claim.path("database_id").asText()).isEqualTo(winners.get(0));
        } finally {
            pool.shutdownNow();
        }
    }

    static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private static Map<String, String> folderDigests(Path root) {
        Map<String, String> digests = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile)
                    .forEach(f -> digests.put(root.relativize(f).toString(), Sha256.of(f)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return digests;
    }

    private static Map<String, String> bucketDigests(S3ProxyServer s3) {
        Map<String, String> digests = new TreeMap<>();
        var client = s3.client();
        client.listObjectsV2Paginator(b -> b.bucket("exports"))
                .contents()
                .forEach(o -> digests.put(
                        o.key(),
                        Sha256.of(
                                client.getObjectAsBytes(g -> g.bucket("exports").key(o.key()))
                                        .asByteArray())));
        return digests;
    }
}
