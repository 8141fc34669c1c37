package dev.eider.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eider.export.S3Target;
import dev.eider.testing.ChildEider;
import dev.eider.testing.ExportedTable;
import dev.eider.testing.Http;
import dev.eider.testing.Multipart;
import dev.eider.testing.RunningEider;
import dev.eider.testing.S3ProxyServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Record files in S3 (S3Proxy in-process): multipart uploads, presigned URLs, Range, exports and restore. */
class FilesS3IT {

    static final String YAML = """
      tables:
        - name: docs
          primary_key: id
          columns:
            - {name: id, type: int64}
            - {name: title, type: string}
            - {name: pdf, type: file}
      files:
        multipart_threshold: 5MB
        part_size: 5MB
      """;

    @TempDir
    Path dir;

    S3ProxyServer s3;
    RunningEider eider;
    Http http;
    final ObjectMapper json = new ObjectMapper();
    final HttpClient plain =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void start() throws Exception {
        s3 = S3ProxyServer.start(dir, "bucket");
        eider = RunningEider.start(dir, YAML, flags());
        http = eider.http();
    }

    @AfterEach
    void stop() {
        if (eider != null) {
            eider.close();
        }
        s3.close();
    }

    @Test
    void put_aboveMultipartThreshold_goesUpInParts_andReadsBackByteForByte() throws Exception {
        byte[] big = bytes(12 << 20, 1);
        Multipart body = new Multipart()
                .json("record", "{\"id\": 1, \"title\": \"big\"}")
                .part("pdf", "application/pdf", big);
        HttpResponse<String> post = http.post("/v1/tables/docs/records", body.contentType(), body.bytes());
        assertThat(post.statusCode()).as(post.body()).isEqualTo(200);
        String key =
                json.readTree(post.body()).path("files").path("pdf").path("key").asText();

        assertThat(s3.client()
                        .getObjectAsBytes(b -> b.bucket("bucket").key("p/_files/" + key))
                        .asByteArray())
                .isEqualTo(big);
        assertThat(get("/v1/tables/docs/records/1/files/pdf", null).body()).isEqualTo(big);
        HttpResponse<byte[]> range = get("/v1/tables/docs/records/1/files/pdf", "bytes=6000000-6000099");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(big, 6_000_000, 6_000_100));
        assertThat(s3.client().listMultipartUploads(b -> b.bucket("bucket")).uploads())
                .isEmpty();
    }

    @Test
    void get_withRedirect_answers307ToAPresignedUrlThatAPlainClientFetches() throws Exception {
        createDoc(1);
        byte[] pdf = bytes(70_000, 2);
        assertThat(putFile(1, pdf).statusCode()).isEqualTo(200);

        HttpResponse<byte[]> redirect = get("/v1/tables/docs/records/1/files/pdf?redirect=true", null);
        assertThat(redirect.statusCode()).isEqualTo(307);
        URI location = URI.create(redirect.headers().firstValue("Location").orElseThrow());
        assertThat(location.getQuery()).contains("X-Amz-Signature");

        HttpResponse<byte[]> fetched =
                plain.send(HttpRequest.newBuilder(location).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(pdf);
        assertThat(fetched.headers().firstValue("Content-Type")).hasValue("application/pdf");
    }

    @Test
    void export_carriesFileColumnsAsAStruct_thatNamesAFetchableObject() throws Exception {
        createDoc(1);
        createDoc(2);
        byte[] pdf = bytes(5_000, 3);
        assertThat(putFile(1, pdf).statusCode()).isEqualTo(200);
        exportSnapshot();

        ExportedTable bucket = new ExportedTable(
                new S3Target(s3.client(), "bucket", "p", 64L << 20, 16L << 20), dir.resolve("download"));
        List<Path> parquet = bucket.files(
                bucket.head("docs").path("snapshot").path("manifest").asText());
        List<String> rows = ExportedTable.query(
                parquet, "SELECT id, pdf.key, pdf.size, pdf.sha256, pdf.content_type FROM f ORDER BY id");
        assertThat(rows).hasSize(2);
        String[] first = rows.get(0).split("\\|");
        assertThat(first[2]).isEqualTo(Integer.toString(pdf.length));
        assertThat(first[4]).isEqualTo("application/pdf");
        assertThat(rows.get(1)).isEqualTo("2|null|null|null|null");
        assertThat(s3.client()
                        .getObjectAsBytes(b -> b.bucket("bucket").key("p/_files/" + first[1]))
                        .asByteArray())
                .isEqualTo(pdf);
    }

    @Test
    void restore_afterFiles_bringsBackReferencesThatStillRead() throws Exception {
        createDoc(1);
        byte[] pdf = bytes(9_000, 4);
        assertThat(putFile(1, pdf).statusCode()).isEqualTo(200);
        exportSnapshot();
        eider.close();
        eider = null;

        Path restored = Files.createDirectories(dir.resolve("restored"));
        Files.writeString(restored.resolve("eider.yaml"), YAML);
        Map<String, String> env = new HashMap<>(s3.environment("p"));
        assertThat(ChildEider.run(restored, env, Duration.ofSeconds(60), "restore", "--from", "s3://bucket/p"))
                .isZero();

        Map<String, String> flags = new HashMap<>(flags());
        eider = RunningEider.start(restored, YAML, flags);
        http = eider.http();
        JsonNode record = json.readTree(http.get("/v1/tables/docs/records/1").body());
        assertThat(record.path("pdf").path("size").asLong()).isEqualTo(pdf.length);
        assertThat(get("/v1/tables/docs/records/1/files/pdf", null).body()).isEqualTo(pdf);
    }

    @Test
    void get_objectDeletedOutOfBand_is404NamingTheRecordAndTheFile() throws Exception {
        createDoc(1);
        HttpResponse<String> put = putFile(1, bytes(1_000, 5));
        String key = json.readTree(put.body()).path("key").asText();
        s3.client().deleteObject(b -> b.bucket("bucket").key("p/_files/" + key)); // behind Eider's back

        HttpResponse<String> get = http.get("/v1/tables/docs/records/1/files/pdf");

        assertThat(get.statusCode()).as(get.body()).isEqualTo(404);
        assertThat(get.body())
                .contains("record 1 of docs", "'pdf'", key, "missing")
                .doesNotContain("Exception");
    }

    @Test
    void storeUnreachable_getAndPutAre503WithRetryAfter() throws Exception {
        createDoc(1);
        assertThat(putFile(1, bytes(1_000, 6)).statusCode()).isEqualTo(200);
        s3.close();

        HttpResponse<String> get = http.get("/v1/tables/docs/records/1/files/pdf");
        assertThat(get.statusCode()).as(get.body()).isEqualTo(503);
        assertThat(get.headers().firstValue("Retry-After")).isPresent();
        assertThat(get.body()).contains("files target").doesNotContain("Exception", "127.0.0.1");

        HttpResponse<String> put = putFile(1, bytes(1_000, 7));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(503);
        assertThat(put.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void put_emptyFile_isStoredAndReadBackWithContentLengthZero() throws Exception {
        createDoc(1);
        HttpResponse<String> put = putFile(1, new byte[0]);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        String key = json.readTree(put.body()).path("key").asText();
        assertThat(s3.client()
                        .headObject(b -> b.bucket("bucket").key("p/_files/" + key))
                        .contentLength())
                .isZero();

        HttpResponse<byte[]> get = get("/v1/tables/docs/records/1/files/pdf", null);

        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEmpty();
        assertThat(get.headers().firstValue("Content-Length")).hasValue("0");
    }

    @Test
    void sweeper_pagesThroughTheBucketListing() throws Exception {
        for (int id = 1; id <= 3; id++) {
            createDoc(id);
            assertThat(putFile(id, bytes(10, id)).statusCode()).isEqualTo(200);
        }
        for (int i = 0; i < 4; i++) {
            String orphan = "p/_files/docs/pdf/orphan-" + i;
            s3.client()
                    .putObject(
                            b -> b.bucket("bucket").key(orphan),
                            software.amazon.awssdk.core.sync.RequestBody.fromString("x"));
        }

        FileJanitor.Sweep sweep = eider.eider()
                .fileJanitor(java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofHours(2)), 3)
                .sweep();

        assertThat(sweep.pages())
                .as("3 files, 4 orphans and the claim, 3 a page")
                .isEqualTo(3);
        assertThat(sweep.orphansDeleted()).isEqualTo(4);
        assertThat(sweep.missing()).isEmpty();
        for (int id = 1; id <= 3; id++) {
            assertThat(get("/v1/tables/docs/records/" + id + "/files/pdf", null).statusCode())
                    .isEqualTo(200);
        }
    }

    // --- helpers

    Map<String, String> flags() {
        return Map.of(
                "export.target", "s3://bucket/p",
                "export.s3.endpoint", s3.endpoint(),
                "export.s3.path_style", "true");
    }

    void createDoc(long id) {
        assertThat(http.post("/v1/tables/docs/records", "{\"id\": " + id + ", \"title\": \"t\"}")
                        .statusCode())
                .isEqualTo(200);
    }

    HttpResponse<String> putFile(long id, byte[] content) {
        return http.send(http.request("/v1/tables/docs/records/" + id + "/files/pdf")
                .header("Content-Type", "application/pdf")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
    }

    HttpResponse<byte[]> get(String path, String range) throws Exception {
        HttpRequest.Builder b = http.request(path).GET();
        if (range != null) {
            b.header("Range", range);
        }
        return plain.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    void exportSnapshot() throws Exception {
        HttpResponse<String> r = http.post("/v1/exports", "{\"table\": \"docs\", \"mode\": \"snapshot\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        long id = json.readTree(r.body()).path("id").asLong();
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> json.readTree(http.get("/v1/exports/" + id).body())
                        .path("state")
                        .asText()
                        .equals("succeeded"));
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
