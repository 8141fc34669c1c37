package dev.eider.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eider.testing.Http;
import dev.eider.testing.Multipart;
import dev.eider.testing.RunningEider;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A record's file in a folder target: the API, the limits, the outbox and the sweeper. */
class FilesIT {

    static final String YAML = """
      tables:
        - name: docs
          primary_key: id
          columns:
            - {name: id, type: int64}
            - {name: title, type: string}
            - {name: pdf, type: file}
            - {name: thumb, type: file}
      """;

    @TempDir
    Path dir;

    RunningEider eider;
    Http http;
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() {
        eider = RunningEider.start(dir, YAML, Map.of("files.max_size", "1MB"));
        http = eider.http();
    }

    @AfterEach
    void stop() {
        eider.close();
    }

    @Test
    void put_thenGet_streamsTheBytesWithTypeLengthAndEtag() throws Exception {
        createDoc(1);
        byte[] pdf = bytes(300_000, 1);
        HttpResponse<String> put = putFile("/v1/tables/docs/records/1/files/pdf", "application/pdf", pdf, null);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        JsonNode ref = json.readTree(put.body());
        assertThat(ref.path("size").asLong()).isEqualTo(pdf.length);
        assertThat(ref.path("sha256").asText()).isEqualTo(sha256Hex(pdf));
        assertThat(ref.path("content_type").asText()).isEqualTo("application/pdf");
        assertThat(ref.path("key").asText()).startsWith("docs/pdf/");
        assertThat(ref.path("uploaded_at").asText()).isNotEmpty();

        JsonNode record = json.readTree(http.get("/v1/tables/docs/records/1").body());
        assertThat(record.path("pdf")).isEqualTo(ref);
        assertThat(record.path("thumb").isNull()).isTrue();

        HttpResponse<byte[]> get = getBytes("/v1/tables/docs/records/1/files/pdf", null);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(pdf);
        assertThat(get.headers().firstValue("Content-Type")).hasValue("application/pdf");
        assertThat(get.headers().firstValue("Content-Length")).hasValue(Integer.toString(pdf.length));
        assertThat(get.headers().firstValue("ETag")).hasValue("\"" + sha256Hex(pdf) + "\"");
        assertThat(filesRoot().resolve(ref.path("key").asText())).hasBinaryContent(pdf);
    }

    @Test
    void get_range_answersPartialContentOr416() throws Exception {
        createDoc(1);
        byte[] pdf = bytes(10_000, 2);
        assertThat(putFile("/v1/tables/docs/records/1/files/pdf", "application/pdf", pdf, null)
                        .statusCode())
                .isEqualTo(200);
        String path = "/v1/tables/docs/records/1/files/pdf";

        HttpResponse<byte[]> middle = getBytes(path, "bytes=100-199");
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.body()).isEqualTo(java.util.Arrays.copyOfRange(pdf, 100, 200));
        assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 100-199/10000");

        HttpResponse<byte[]> tail = getBytes(path, "bytes=-10");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(java.util.Arrays.copyOfRange(pdf, 9_990, 10_000));

        HttpResponse<byte[]> open = getBytes(path, "bytes=9000-");
        assertThat(open.body()).isEqualTo(java.util.Arrays.copyOfRange(pdf, 9_000, 10_000));

        HttpResponse<byte[]> past = getBytes(path, "bytes=20000-");
        assertThat(past.statusCode()).isEqualTo(416);
        assertThat(past.headers().firstValue("Content-Range")).hasValue("bytes */10000");
        // Like every error, a problem in words (a new-user trial got an empty text/plain answer).
        assertThat(past.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(new String(past.body(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("10000 bytes");
    }

    @Test
    void get_servesTheFileAsAnAttachment_neverAsAPageOfEidersOrigin() throws Exception {
        // A stored HTML file with a script must not run on Eider's origin (where the status page keeps tokens).
        createDoc(1);
        byte[] html = "<html><script>alert(sessionStorage.length)</script></html>".getBytes();
        assertThat(putFile("/v1/tables/docs/records/1/files/pdf", "text/html", html, null)
                        .statusCode())
                .isEqualTo(200);
        String path = "/v1/tables/docs/records/1/files/pdf";

        for (HttpResponse<byte[]> get : List.of(getBytes(path, null), getBytes(path, "bytes=0-5"))) {
            assertThat(get.statusCode()).isIn(200, 206);
            assertThat(get.headers().firstValue("Content-Type")).hasValue("text/html");
            assertThat(get.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(get.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'none'; sandbox");
            assertThat(get.headers().firstValue("Content-Disposition")).hasValue("attachment");
        }
    }

    @Test
    void put_filesTargetCannotBeWritten_is503NamingTheSetting_andNothingChanges() throws Exception {
        // Root ignores permissions, so the folder is made impossible to create: its parent is a regular file.
        Path blocker = Files.writeString(dir.resolve("not-a-folder"), "x");
        try (RunningEider broken = RunningEider.start(
                dir.resolve("broken"), YAML, Map.of("files.target", "file:" + blocker.resolve("files")))) {
            Http h = broken.http();
            assertThat(h.post("/v1/tables/docs/records", "{\"id\": 1, \"title\": \"t\"}")
                            .statusCode())
                    .isEqualTo(200);
            HttpResponse<String> put = h.send(h.request("/v1/tables/docs/records/1/files/pdf")
                    .header("Content-Type", "application/pdf")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes(100, 3))));

            assertThat(put.statusCode()).as(put.body()).isEqualTo(503);
            assertThat(put.headers().firstValue("Retry-After")).isPresent();
            assertThat(put.body()).contains("files.target").doesNotContain("Exception");
            assertThat(json(h.get("/v1/tables/docs/records/1").body())
                            .path("pdf")
                            .isNull())
                    .isTrue();
        }
    }

    @Test
    void filesFolderClaim_isAtTheTargetsRoot_andOnlyWhenATableHasAFileColumn() throws Exception {
        createDoc(1);
        key(putFile("/v1/tables/docs/records/1/files/pdf", "application/pdf", bytes(10, 4), null));
        eider.eider().fileJanitor(Clock.systemUTC()).sweep();
        assertThat(filesRoot().resolve("_claim.json")).exists();
        assertThat(filesRoot().resolve("_files")).doesNotExist();

        Path plain = dir.resolve("plain");
        String noFiles = """
          tables:
            - name: notes
              primary_key: id
              columns:
                - {name: id, type: int64}
          """;
        try (RunningEider other = RunningEider.start(plain, noFiles, Map.of())) {
            assertThat(other.http()
                            .post("/v1/tables/notes/records", "{\"id\": 1}")
                            .statusCode())
                    .isEqualTo(200);
            HttpResponse<String> r = other.http().post("/v1/exports", "{\"table\": \"notes\", \"mode\": \"snapshot\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            FileJanitor janitor = other.eider().fileJanitor(Clock.systemUTC());
            janitor.drainOutbox();
            janitor.sweep();
        }
        assertThat(plain.resolve("exports/_files")).doesNotExist();
    }

    @Test
    void put_recordMissing_is404AndStoresNothing() {
        HttpResponse<String> put =
                putFile("/v1/tables/docs/records/9/files/pdf", "application/pdf", bytes(10, 3), null);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(404);
        assertThat(objects()).isEmpty();
    }

    @Test
    void put_unknownColumnOrNotAFile_is404() {
        createDoc(1);
        assertThat(putFile("/v1/tables/docs/records/1/files/nope", "text/plain", bytes(10, 3), null)
                        .statusCode())
                .isEqualTo(404);
        HttpResponse<String> title = putFile("/v1/tables/docs/records/1/files/title", "text/plain", bytes(10, 3), null);
        assertThat(title.statusCode()).isEqualTo(404);
        assertThat(title.body()).contains("its file columns: [pdf, thumb]");
    }

    @Test
    void put_digestMismatch_is400AndNothingChanges() throws Exception {
        createDoc(1);
        byte[] first = bytes(1000, 4);
        assertThat(putFile("/v1/tables/docs/records/1/files/pdf", "application/pdf", first, digest(first))
                        .statusCode())
                .isEqualTo(200);
        String before = http.get("/v1/tables/docs/records/1").body();

        HttpResponse<String> bad =
                putFile("/v1/tables/docs/records/1/files/pdf", "application/pdf", bytes(1000, 5), digest(first));
        assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
        assertThat(bad.body()).contains("Content-Digest");
        assertThat(http.get("/v1/tables/docs/records/1").body()).isEqualTo(before);
        assertThat(objects()).hasSize(1);
    }

    @Test
    void put_overMaxSize_is413AndStoresNothing() {
        createDoc(1);
        HttpResponse<String> big =
                putFile("/v1/tables/docs/records/1/files/pdf", "application/pdf", bytes(1_048_577, 6), null);
        assertThat(big.statusCode()).as(big.body()).isEqualTo(413);
        assertThat(big.body()).contains("files.max_size");
        HttpResponse<String> chunked = http.send(http.request("/v1/tables/docs/records/1/files/pdf")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(bytes(1_048_577, 6)))));
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(413);
        assertThat(objects()).isEmpty();
        assertThat(json(http.get("/v1/tables/docs/records/1").body())
                        .path("pdf")
                        .isNull())
                .isTrue();
    }

    @Test
    void jsonWrites_keepFiles_andRefuseFileColumns() throws Exception {
        createDoc(1);
        byte[] pdf = bytes(100, 7);
        putFile("/v1/tables/docs/records/1/files/pdf", "application/pdf", pdf, null);
        HttpResponse<String> upsert = http.put("/v1/tables/docs/records/1", "{\"id\": 1, \"title\": \"renamed\"}");
        assertThat(upsert.statusCode()).isEqualTo(200);
        JsonNode record = json(http.get("/v1/tables/docs/records/1").body());
        assertThat(record.path("title").asText()).isEqualTo("renamed");
        assertThat(record.path("pdf").path("sha256").asText()).isEqualTo(sha256Hex(pdf));

        HttpResponse<String> refused =
                http.put("/v1/tables/docs/records/1", "{\"id\": 1, \"pdf\": {\"key\": \"elsewhere\"}}");
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("is a file");
    }

    @Test
    void multipartPost_createsRecordAndFilesInOneWrite() throws Exception {
        byte[] pdf = bytes(200_000, 8);
        byte[] png = bytes(5_000, 9);
        Multipart body = new Multipart()
                .json("record", "{\"id\": 5, \"title\": \"with files\"}")
                .part("pdf", "application/pdf", pdf)
                .part("thumb", "image/png", png);
        HttpResponse<String> post = http.post("/v1/tables/docs/records", body.contentType(), body.bytes());
        assertThat(post.statusCode()).as(post.body()).isEqualTo(200);
        assertThat(json(post.body())
                        .path("files")
                        .path("thumb")
                        .path("content_type")
                        .asText())
                .isEqualTo("image/png");

        JsonNode record = json(http.get("/v1/tables/docs/records/5").body());
        assertThat(record.path("title").asText()).isEqualTo("with files");
        assertThat(getBytes("/v1/tables/docs/records/5/files/pdf", null).body()).isEqualTo(pdf);
        assertThat(getBytes("/v1/tables/docs/records/5/files/thumb", null).body())
                .isEqualTo(png);
    }

    @Test
    void multipartPost_withInvalidRecordOrUnknownPart_storesNothing() {
        Multipart badRecord = new Multipart()
                .json("record", "{\"id\": 6, \"title\": 12}")
                .part("pdf", "application/pdf", bytes(100, 10));
        HttpResponse<String> refused = http.post("/v1/tables/docs/records", badRecord.contentType(), badRecord.bytes());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);

        Multipart unknown = new Multipart()
                .part("pdf", "application/pdf", bytes(100, 10))
                .json("record", "{\"id\": 6, \"title\": \"x\"}")
                .part("cover", "image/png", bytes(100, 11));
        HttpResponse<String> noColumn = http.post("/v1/tables/docs/records", unknown.contentType(), unknown.bytes());
        assertThat(noColumn.statusCode()).as(noColumn.body()).isEqualTo(404);

        Multipart noRecord = new Multipart().part("pdf", "application/pdf", bytes(100, 10));
        assertThat(http.post("/v1/tables/docs/records", noRecord.contentType(), noRecord.bytes())
                        .statusCode())
                .isEqualTo(400);
        assertThat(http.get("/v1/tables/docs/records/6").statusCode()).isEqualTo(404);
        assertThat(objects()).isEmpty();
    }

    @Test
    void fileOfAMalformedType_orRecordPartNotJson_is415NamingItAndStoresNothing() {
        // A new-user trial: "Content-Type: ../../x" was stored and served back as the file's type, and a 'record'
        // part sent as text/plain was read as JSON (the JSON routes answer 415 for it).
        createDoc(1);
        HttpResponse<String> put = putFile("/v1/tables/docs/records/1/files/pdf", "../../x", bytes(10, 3), null);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(415);
        assertThat(put.body()).contains("Content-Type").contains("../../x").contains("pdf");

        HttpResponse<String> asText =
                postRecordPart("text/plain", "{\"id\": 7, \"title\": \"x\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(asText.statusCode()).as(asText.body()).isEqualTo(415);
        assertThat(asText.body()).contains("'record'").contains("text/plain");

        Multipart badType = new Multipart()
                .json("record", "{\"id\": 7, \"title\": \"x\"}")
                .part("pdf", "pdf please", bytes(100, 10));
        HttpResponse<String> refused = http.post("/v1/tables/docs/records", badType.contentType(), badType.bytes());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(415);
        assertThat(refused.body()).contains("pdf please");

        // A 'record' part in another charset, or not UTF-8 at all (a trial: 500 and a stack trace), is refused.
        byte[] latin1 = "{\"id\": 7, \"title\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        HttpResponse<String> inLatin1 = postRecordPart("application/json; charset=latin1", latin1);
        assertThat(inLatin1.statusCode()).as(inLatin1.body()).isEqualTo(415);
        assertThat(inLatin1.body()).contains("latin1");
        HttpResponse<String> invalid = postRecordPart("application/json", latin1);
        assertThat(invalid.statusCode()).as(invalid.body()).isEqualTo(400);
        assertThat(invalid.body()).contains("'record'", "UTF-8").doesNotContain("Exception");

        assertThat(http.get("/v1/tables/docs/records/7").statusCode()).isEqualTo(404);
        assertThat(objects()).isEmpty();

        // A 'record' part of bytes with no named type (curl -F record=@rec.json, a browser's Blob) is read as JSON.
        HttpResponse<String> taken = postRecordPart(
                "application/octet-stream", "{\"id\": 8, \"title\": \"x\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(taken.statusCode()).as(taken.body()).isEqualTo(200);
        // A type with parameters, and a part without one (curl -F sends none for a field), are taken.
        assertThat(putFile("/v1/tables/docs/records/1/files/pdf", "text/plain; charset=\"utf-8\"", bytes(10, 3), null)
                        .statusCode())
                .isEqualTo(200);
    }

    /** A multipart create whose 'record' part is {@code record}, sent as {@code type}, with a small pdf. */
    private HttpResponse<String> postRecordPart(String type, byte[] record) {
        Multipart body = new Multipart().part("record", type, record).part("pdf", "application/pdf", bytes(100, 10));
        return http.post("/v1/tables/docs/records", body.contentType(), body.bytes());
    }

    @Test
    void replaceAndDelete_queueOldObjects_deletedOnlyAfterExportAndGrace() throws Exception {
        createDoc(1);
        createDoc(2);
        String first = key(putFile("/v1/tables/docs/records/1/files/pdf", "application/pdf", bytes(100, 12), null));
        String second = key(putFile("/v1/tables/docs/records/1/files/pdf", "application/pdf", bytes(100, 13), null));
        String other = key(putFile("/v1/tables/docs/records/2/files/thumb", "image/png", bytes(100, 14), null));
        assertThat(http.delete("/v1/tables/docs/records/2").statusCode()).isEqualTo(200);
        assertThat(objects()).containsExactlyInAnyOrder(first, second, other);

        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofHours(2));
        FileJanitor janitor = eider.eider().fileJanitor(later);
        assertThat(janitor.drainOutbox()).as("not exported yet").isZero();
        assertThat(objects()).containsExactlyInAnyOrder(first, second, other);

        exportSnapshot();
        assertThat(eider.eider().fileJanitor(Clock.systemUTC()).drainOutbox())
                .as("exported but within the grace period")
                .isZero();
        assertThat(janitor.drainOutbox()).isEqualTo(2);
        assertThat(objects()).containsExactly(second);
        assertThat(janitor.drainOutbox()).as("idempotent").isZero();
        assertThat(getBytes("/v1/tables/docs/records/1/files/pdf", null).statusCode())
                .isEqualTo(200);
    }

    @Test
    void deleteFile_clearsTheColumn_and404sAfterwards() throws Exception {
        createDoc(1);
        putFile("/v1/tables/docs/records/1/files/pdf", "application/pdf", bytes(100, 15), null);
        assertThat(http.delete("/v1/tables/docs/records/1/files/pdf").statusCode())
                .isEqualTo(200);
        assertThat(json(http.get("/v1/tables/docs/records/1").body())
                        .path("pdf")
                        .isNull())
                .isTrue();
        assertThat(getBytes("/v1/tables/docs/records/1/files/pdf", null).statusCode())
                .isEqualTo(404);
        assertThat(http.delete("/v1/tables/docs/records/1/files/pdf").statusCode())
                .isEqualTo(404);
    }

    @Test
    void sweeper_deletesOldOrphansOnly_andReportsMissingObjects() throws Exception {
        createDoc(1);
        createDoc(2);
        String live = key(putFile("/v1/tables/docs/records/1/files/pdf", "application/pdf", bytes(100, 16), null));
        String lost = key(putFile("/v1/tables/docs/records/2/files/pdf", "application/pdf", bytes(100, 17), null));
        Files.delete(filesRoot().resolve(lost)); // behind Eider's back
        Path orphan = filesRoot().resolve("docs/pdf/left-by-a-crash");
        Files.write(orphan, bytes(10, 18));

        FileJanitor.Sweep now = eider.eider().fileJanitor(Clock.systemUTC()).sweep();
        assertThat(now.orphansDeleted()).as("too young").isZero();
        assertThat(now.missing()).containsExactly(lost);

        FileJanitor.Sweep later = eider.eider()
                .fileJanitor(Clock.offset(Clock.systemUTC(), Duration.ofHours(2)))
                .sweep();
        assertThat(later.orphansDeleted()).isEqualTo(1);
        assertThat(later.missing()).containsExactly(lost);
        assertThat(objects()).containsExactly(live);
        assertThat(json(http.get("/v1/tables/docs/records/2").body())
                        .path("pdf")
                        .path("key")
                        .asText())
                .as("a reference to a missing object is reported, never removed")
                .isEqualTo(lost);
    }

    @Test
    void sweeper_ofAnotherDatabaseOnTheSameFolder_deletesNothing() throws Exception {
        // A restored copy pointed at the original's files folder must not sweep the original's live files.
        createDoc(1);
        String live = key(putFile("/v1/tables/docs/records/1/files/pdf", "application/pdf", bytes(100, 21), null));
        assertThat(eider.eider().fileJanitor(Clock.systemUTC()).sweep().orphansDeleted())
                .isZero();
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        try (RunningEider second = RunningEider.start(other, YAML, Map.of("files.target", "file:" + filesRoot()))) {
            FileJanitor.Sweep sweep = second.eider()
                    .fileJanitor(Clock.offset(Clock.systemUTC(), Duration.ofHours(2)))
                    .sweep();

            assertThat(sweep.orphansDeleted()).isZero();
        }
        assertThat(objects()).containsExactly(live);
        assertThat(getBytes("/v1/tables/docs/records/1/files/pdf", null).statusCode())
                .isEqualTo(200);
    }

    @Test
    void concurrentReplaces_lastCommittedWins_andEveryOtherObjectIsQueued() throws Exception {
        createDoc(1);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<HttpResponse<String>>> puts = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            byte[] content = bytes(2_000 + i, 100 + i);
            puts.add(pool.submit(
                    () -> putFile("/v1/tables/docs/records/1/files/pdf", "application/pdf", content, null)));
        }
        // Each answer carries its own write's sequence: the winner is the one answered the highest.
        long highest = -1;
        String highestKey = null;
        for (Future<HttpResponse<String>> f : puts) {
            HttpResponse<String> r = f.get();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            long seq = Long.parseLong(r.headers().firstValue("Eider-Sequence").orElseThrow());
            if (seq > highest) {
                highest = seq;
                highestKey = json(r.body()).path("key").asText();
            }
        }
        pool.shutdown();
        JsonNode record = json(http.get("/v1/tables/docs/records/1").body());
        String winner = record.path("pdf").path("key").asText();
        assertThat(winner).isEqualTo(highestKey);
        assertThat(getBytes("/v1/tables/docs/records/1/files/pdf", null).statusCode())
                .isEqualTo(200);
        assertThat(objects()).hasSize(64);

        exportSnapshot();
        int deleted = eider.eider()
                .fileJanitor(Clock.offset(Clock.systemUTC(), Duration.ofHours(2)))
                .drainOutbox();
        assertThat(deleted).isEqualTo(63);
        assertThat(objects()).containsExactly(winner);
        assertThat(getBytes("/v1/tables/docs/records/1/files/pdf", null).statusCode())
                .isEqualTo(200);
    }

    @Test
    void get_objectDeletedOutOfBand_is404NamingTheRecordAndTheFile() throws Exception {
        createDoc(1);
        String lost = key(putFile("/v1/tables/docs/records/1/files/pdf", "application/pdf", bytes(100, 30), null));
        Files.delete(filesRoot().resolve(lost)); // behind Eider's back

        HttpResponse<String> get = http.get("/v1/tables/docs/records/1/files/pdf");

        assertThat(get.statusCode()).as(get.body()).isEqualTo(404);
        assertThat(get.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(get.body())
                .contains("record 1 of docs", "'pdf'", lost, "missing")
                .doesNotContain("Exception", "java.");
    }

    @Test
    void multipartPost_twoRecordParts_is400NamingTheDuplicateAndStoresNothing() {
        Multipart twice = new Multipart()
                .json("record", "{\"id\": 7, \"title\": \"first\"}")
                .part("pdf", "application/pdf", bytes(100, 31))
                .json("record", "{\"id\": 8, \"title\": \"second\"}");

        HttpResponse<String> post = http.post("/v1/tables/docs/records", twice.contentType(), twice.bytes());

        assertThat(post.statusCode()).as(post.body()).isEqualTo(400);
        assertThat(post.body()).contains("two parts named 'record'");
        assertThat(http.get("/v1/tables/docs/records/7").statusCode()).isEqualTo(404);
        assertThat(http.get("/v1/tables/docs/records/8").statusCode()).isEqualTo(404);
        assertThat(objects()).isEmpty();
    }

    @Test
    void multipartPost_withoutBoundaryOrCutShort_is400InTheRequestsWords() {
        // Round fourteen's trial: Jetty's "No multipart boundary parameter in Content-Type", "unexpected EOF".
        HttpResponse<String> noBoundary =
                http.post("/v1/tables/docs/records", "multipart/form-data", "garbage".getBytes(StandardCharsets.UTF_8));
        assertThat(noBoundary.statusCode()).as(noBoundary.body()).isEqualTo(400);
        assertThat(noBoundary.body()).contains("names no boundary");

        Multipart whole = new Multipart()
                .json("record", "{\"id\": 7, \"title\": \"x\"}")
                .part("pdf", "application/pdf", bytes(100, 34));
        byte[] cut = Arrays.copyOf(whole.bytes(), whole.bytes().length - 20);
        HttpResponse<String> cutShort = http.post("/v1/tables/docs/records", whole.contentType(), cut);
        assertThat(cutShort.statusCode()).as(cutShort.body()).isEqualTo(400);
        assertThat(cutShort.body()).contains("ended before its closing boundary");
        assertThat(http.get("/v1/tables/docs/records/7").statusCode()).isEqualTo(404);
    }

    @Test
    void multipartPost_twoPartsForOneFileColumn_is400NamingTheColumnAndStoresNothing() {
        Multipart twice = new Multipart()
                .json("record", "{\"id\": 7, \"title\": \"x\"}")
                .part("pdf", "application/pdf", bytes(100, 32))
                .part("pdf", "application/pdf", bytes(100, 33));

        HttpResponse<String> post = http.post("/v1/tables/docs/records", twice.contentType(), twice.bytes());

        assertThat(post.statusCode()).as(post.body()).isEqualTo(400);
        assertThat(post.body()).contains("two parts named 'pdf'");
        assertThat(http.get("/v1/tables/docs/records/7").statusCode()).isEqualTo(404);
        assertThat(objects()).isEmpty();
    }

    @Test
    void fileRoutes_unknownQueryParameter_is400NamingItAndStoresNothing() {
        createDoc(1);
        String file = "/v1/tables/docs/records/1/files/pdf";
        HttpResponse<String> put = putFile(file + "?overwrite=true", "application/pdf", bytes(100, 34), null);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(400);
        assertThat(put.body()).contains("'overwrite'", "this route takes none");
        assertThat(objects()).isEmpty();

        assertThat(key(putFile(file, "application/pdf", bytes(100, 35), null))).isNotEmpty();
        HttpResponse<String> get = http.get(file + "?download=1");
        assertThat(get.statusCode()).as(get.body()).isEqualTo(400);
        assertThat(get.body()).contains("'download'", "this route takes redirect");
        HttpResponse<String> notABoolean = http.get(file + "?redirect=yes");
        assertThat(notABoolean.statusCode()).as(notABoolean.body()).isEqualTo(400);
        assertThat(notABoolean.body()).contains("redirect", "true or false");
        HttpResponse<String> delete = http.delete(file + "?force=1");
        assertThat(delete.statusCode()).as(delete.body()).isEqualTo(400);
        assertThat(delete.body()).contains("'force'");

        Multipart body = new Multipart()
                .json("record", "{\"id\": 9, \"title\": \"x\"}")
                .part("pdf", "application/pdf", bytes(100, 36));
        HttpResponse<String> post = http.post("/v1/tables/docs/records?upsert=false", body.contentType(), body.bytes());
        assertThat(post.statusCode()).as(post.body()).isEqualTo(400);
        assertThat(post.body()).contains("'upsert'");
        assertThat(http.get("/v1/tables/docs/records/9").statusCode()).isEqualTo(404);
        assertThat(objects()).hasSize(1);
    }

    @Test
    void put_emptyFile_isStoredAndReadBackWithContentLengthZero() throws Exception {
        createDoc(1);
        HttpResponse<String> put = putFile("/v1/tables/docs/records/1/files/pdf", "text/plain", new byte[0], null);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(json(put.body()).path("size").asLong()).isZero();
        assertThat(json(put.body()).path("sha256").asText()).isEqualTo(sha256Hex(new byte[0]));

        HttpResponse<byte[]> get = getBytes("/v1/tables/docs/records/1/files/pdf", null);

        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEmpty();
        assertThat(get.headers().firstValue("Content-Length")).hasValue("0");
        assertThat(get.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(getBytes("/v1/tables/docs/records/1/files/pdf", "bytes=0-").statusCode())
                .as("no byte of an empty file can be asked for")
                .isEqualTo(416);
    }

    @Test
    void fileWrites_answerTheRecordsOwnSequence_notTheirGroupCommits() throws Exception {
        int records = 24;
        for (int id = 1; id <= records; id++) {
            createDoc(id);
        }
        ExecutorService pool = Executors.newFixedThreadPool(records);
        List<Future<HttpResponse<String>>> puts = new ArrayList<>();
        for (int id = 1; id <= records; id++) {
            String path = "/v1/tables/docs/records/" + id + "/files/pdf";
            byte[] content = bytes(1_000, 200 + id);
            puts.add(pool.submit(() -> putFile(path, "application/pdf", content, null)));
        }
        List<Long> answered = new ArrayList<>();
        for (int id = 1; id <= records; id++) {
            HttpResponse<String> put = puts.get(id - 1).get();
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            long sequence =
                    Long.parseLong(put.headers().firstValue("Eider-Sequence").orElseThrow());
            HttpResponse<String> record = http.get("/v1/tables/docs/records/" + id);
            assertThat(sequence)
                    .as("record %d", id)
                    .isEqualTo(Long.parseLong(
                            record.headers().firstValue("Eider-Sequence").orElseThrow()));
            answered.add(sequence);
        }
        pool.shutdown();
        assertThat(answered).doesNotHaveDuplicates();

        HttpResponse<String> delete = http.delete("/v1/tables/docs/records/3/files/pdf");
        assertThat(json(delete.body()).path("sequence").asLong())
                .isEqualTo(Long.parseLong(http.get("/v1/tables/docs/records/3")
                        .headers()
                        .firstValue("Eider-Sequence")
                        .orElseThrow()));
    }

    @Test
    void sweeper_pagesThroughTheListing_andFindsOrphansAndMissingObjectsOnEveryPage() throws Exception {
        List<String> live = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        for (int id = 1; id <= 6; id++) {
            createDoc(id);
            String key = key(
                    putFile("/v1/tables/docs/records/" + id + "/files/pdf", "application/pdf", bytes(10, id), null));
            (id % 3 == 0 ? lost : live).add(key);
        }
        for (String key : lost) {
            Files.delete(filesRoot().resolve(key)); // behind Eider's back
        }
        for (int i = 0; i < 5; i++) {
            Files.write(filesRoot().resolve("docs/pdf/orphan-" + i), bytes(10, 40 + i));
        }

        FileJanitor.Sweep sweep = eider.eider()
                .fileJanitor(Clock.offset(Clock.systemUTC(), Duration.ofHours(2)), 2)
                .sweep();

        assertThat(sweep.pages())
                .as("4 live objects, 5 orphans and the folder's claim, 2 a page")
                .isEqualTo(5);
        assertThat(sweep.orphansDeleted()).isEqualTo(5);
        assertThat(sweep.missing()).containsExactlyInAnyOrderElementsOf(lost);
        assertThat(objects()).containsExactlyInAnyOrderElementsOf(live);
    }

    // --- helpers

    void createDoc(long id) {
        HttpResponse<String> r =
                http.post("/v1/tables/docs/records", "{\"id\": " + id + ", \"title\": \"doc " + id + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    void exportSnapshot() throws Exception {
        HttpResponse<String> r = http.post("/v1/exports", "{\"table\": \"docs\", \"mode\": \"snapshot\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        long id = json(r.body()).path("id").asLong();
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> json(http.get("/v1/exports/" + id).body())
                        .path("state")
                        .asText()
                        .equals("succeeded"));
    }

    HttpResponse<String> putFile(String path, String type, byte[] content, String digest) {
        HttpRequest.Builder b =
                http.request(path).header("Content-Type", type).PUT(HttpRequest.BodyPublishers.ofByteArray(content));
        if (digest != null) {
            b.header("Content-Digest", digest);
        }
        return http.send(b);
    }

    HttpResponse<byte[]> getBytes(String path, String range) throws Exception {
        HttpRequest.Builder b = http.request(path).GET();
        if (range != null) {
            b.header("Range", range);
        }
        return java.net.http.HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    Path filesRoot() {
        return dir.resolve("exports/_files");
    }

    List<String> objects() {
        if (!Files.isDirectory(filesRoot())) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(filesRoot())) {
            return files.filter(Files::isRegularFile)
                    .map(p -> filesRoot().relativize(p).toString())
                    .filter(k -> !k.startsWith("_"))
                    .toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    String key(HttpResponse<String> put) {
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        return json(put.body()).path("key").asText();
    }

    JsonNode json(String body) {
        try {
            return json.readTree(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha256Hex(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static String digest(byte[] b) throws Exception {
        return "sha-256=:"
                + Base64.getEncoder()
                        .encodeToString(MessageDigest.getInstance("SHA-256").digest(b)) + ":";
    }
}
