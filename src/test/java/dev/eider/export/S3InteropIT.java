package dev.eider.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eider.Eider;
import dev.eider.Main;
import dev.eider.testing.Http;
import dev.eider.testing.S3Server;
import dev.eider.testing.TestConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The S3 target against two independent S3 implementations: every object read back byte for byte,
 * since a server that does not decode the SDK's {@code aws-chunked} encoding stores its chunk
 * signatures inside the object.
 */
class S3InteropIT {

    static final String TABLE = """
            tables:
              - name: blobs
                primary_key: id
                columns:
                  - {name: id, type: int64}
                  - {name: body, type: string}
            """;

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"s3proxy", "s3rver"})
    void createAndPut_singleAndMultipart_readBackExactBytes(String server) throws Exception {
        try (S3Server s3 = S3Server.start(server, dir, "interop")) {
            S3Target target = new S3Target(s3.client(), "interop", "p", 5L << 20, 5L << 20);
            Path small = random("small", 200_000, 1);
            Path big = random("big", (11 << 20) + 17, 2);

            target.create("t/small", small, Sha256.of(small));
            target.create("t/big", big, Sha256.of(big));
            target.put("t/small-put", small, Sha256.of(small));

            assertSameBytes(target.read("t/small").orElseThrow(), small);
            assertSameBytes(target.read("t/small-put").orElseThrow(), small);
            Path back = dir.resolve("back");
            target.download("t/big", back);
            assertSameBytes(Files.readAllBytes(back), big);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"s3proxy", "s3rver"})
    void export_snapshotChangesMultipartThenRestore_everyObjectMatchesItsManifest(String server) throws Exception {
        try (S3Server s3 = S3Server.start(server, dir, "interop")) {
            Map<String, String> flags = Map.of(
                    "export.target", "s3://interop/eider",
                    "export.s3.endpoint", s3.endpoint(),
                    "export.s3.path_style", "true",
                    "export.s3.multipart_threshold", "5MB",
                    "export.s3.part_size", "5MB",
                    "export.work_dir", dir.resolve("work").toString());
            Map<Long, String> written = new TreeMap<>();
            try (Eider eider = Eider.start(TestConfig.in(dir, TABLE, flags))) {
                Http http = new Http(eider.port());
                // About 8 MB of incompressible text: the snapshot's Parquet file goes up in parts.
                Random random = new Random(3);
                for (int batch = 0; batch < 10; batch++) {
                    StringBuilder ndjson = new StringBuilder();
                    for (int i = 0; i < 1_000; i++) {
                        long id = batch * 1_000L + i;
                        byte[] bytes = new byte[600];
                        random.nextBytes(bytes);
                        written.put(id, Base64.getEncoder().encodeToString(bytes));
                        ndjson.append("{\"id\": ")
                                .append(id)
                                .append(", \"body\": \"")
                                .append(written.get(id))
                                .append("\"}\n");
                    }
                    var answer = http.post("/v1/tables/blobs/records", "application/x-ndjson", ndjson.toString());
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                }
                export(http, "snapshot");
                assertThat(http.put("/v1/tables/blobs/records/7", "{\"id\": 7, \"body\": \"changed\"}")
                                .statusCode())
                        .isEqualTo(200);
                assertThat(http.delete("/v1/tables/blobs/records/8").statusCode())
                        .isEqualTo(200);
                written.put(7L, "changed");
                written.remove(8L);
                export(http, "changes");
            }

            Map<String, Long> partSizes = everyObjectMatchesItsManifest(s3);
            assertThat(partSizes.values())
                    .as("one Parquet file above the multipart threshold")
                    .anyMatch(size -> size > 5L << 20);

            Path restored = dir.resolve("restored.db");
            Path config = Files.writeString(
                    dir.resolve("restore.yaml"), TABLE + """
                    export:
                      s3: {endpoint: "%s", path_style: true}
                      work_dir: "%s"
                    """.formatted(s3.endpoint(), dir.resolve("restore-work")));
            assertThat(Main.commandLine()
                            .execute(
                                    "restore",
                                    "--config",
                                    config.toString(),
                                    "--data",
                                    restored.toString(),
                                    "--from",
                                    "s3://interop/eider"))
                    .isZero();
            Map<Long, String> back = rows(restored);
            assertThat(back.keySet()).containsExactlyElementsOf(written.keySet());
            assertThat(back.entrySet())
                    .filteredOn(e -> !e.getValue().equals(written.get(e.getKey())))
                    .isEmpty();
        }
    }

    /**
     * Reads every object under the prefix: each JSON object parses, each Parquet object is listed by
     * a manifest with its exact SHA-256 and size. Returns the Parquet objects' sizes by key.
     */
    private static Map<String, Long> everyObjectMatchesItsManifest(S3Server s3) throws Exception {
        Map<String, byte[]> objects = new TreeMap<>();
        s3.client()
                .listObjectsV2Paginator(b -> b.bucket("interop").prefix("eider/"))
                .contents()
                .forEach(o -> objects.put(
                        o.key(),
                        s3.client()
                                .getObjectAsBytes(b -> b.bucket("interop").key(o.key()))
                                .asByteArray()));
        Map<String, JsonNode> listed = new TreeMap<>();
        for (var object : objects.entrySet()) {
            if (object.getKey().endsWith(".json")) {
                JsonNode json = JSON.readTree(object.getValue());
                json.path("files")
                        .forEach(f -> listed.put("eider/" + f.path("key").asText(), f));
            }
        }
        Map<String, Long> parquet = new TreeMap<>();
        for (var object : objects.entrySet()) {
            if (object.getKey().endsWith(".parquet")) {
                JsonNode f = listed.get(object.getKey());
                assertThat(f).as("%s is listed by a manifest", object.getKey()).isNotNull();
                assertThat(Sha256.of(object.getValue()))
                        .as(object.getKey())
                        .isEqualTo(f.path("sha256").asText());
                assertThat((long) object.getValue().length)
                        .isEqualTo(f.path("bytes").asLong());
                parquet.put(object.getKey(), (long) object.getValue().length);
            }
        }
        assertThat(parquet.keySet()).containsExactlyInAnyOrderElementsOf(listed.keySet());
        return parquet;
    }

    private static void export(Http http, String mode) throws Exception {
        var answer = http.post("/v1/exports", "{\"table\": \"blobs\", \"mode\": \"" + mode + "\"}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        long id = JSON.readTree(answer.body()).path("id").asLong();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode view = JSON.readTree(http.get("/v1/exports/" + id).body());
            assertThat(view.path("state").asText()).as(view.toString()).isNotEqualTo("failed");
            return view.path("state").asText().equals("succeeded");
        });
    }

    private static Map<Long, String> rows(Path database) throws Exception {
        Map<Long, String> rows = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + database);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, body FROM blobs WHERE NOT _deleted")) {
            while (rs.next()) {
                rows.put(rs.getLong(1), rs.getString(2));
            }
        }
        return rows;
    }

    /** Equal bytes; on a difference, shows the object's first bytes (where chunk signatures would be). */
    static void assertSameBytes(byte[] actual, Path expected) throws Exception {
        String start = new String(actual, 0, Math.min(actual.length, 120), StandardCharsets.ISO_8859_1);
        assertThat(start).doesNotContain("chunk-signature");
        assertThat(actual.length).isEqualTo(Files.size(expected));
        assertThat(Arrays.mismatch(actual, Files.readAllBytes(expected))).isEqualTo(-1);
    }

    private Path random(String name, int size, long seed) throws Exception {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return Files.write(dir.resolve(name), bytes);
    }
}
