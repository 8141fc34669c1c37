package dev.eider.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eider.Eider;
import dev.eider.testing.ExportedTable;
import dev.eider.testing.Http;
import dev.eider.testing.S3ProxyServer;
import dev.eider.testing.TestConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exports to S3Proxy over the real S3 protocol, read back with DuckDB as an outside reader would. */
class S3ExportIT {

    static final String TABLES = """
      tables:
        - name: events
          primary_key: id
          columns:
            - {name: id, type: int64}
            - {name: at, type: timestamp, nullable: true}
            - {name: amount, type: "decimal(12,2)", nullable: true}
            - {name: payload, type: json, nullable: true}
            - {name: day, type: date, nullable: true}
            - {name: note, type: string, nullable: true}
      """;

    @TempDir
    Path dir;

    S3ProxyServer s3;
    Eider eider;
    Http http;
    ExportTarget target;
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() throws Exception {
        s3 = S3ProxyServer.start(dir, "exports");
        Map<String, String> flags = Map.of(
                "export.target",
                "s3://exports/eider",
                "export.s3.endpoint",
                s3.endpoint(),
                "export.s3.path_style",
                "true");
        eider = Eider.start(TestConfig.in(dir, TABLES, flags));
        http = new Http(eider.port());
        target = new S3Target(s3.client(), "exports", "eider", 64L << 20, 16L << 20);
    }

    @AfterEach
    void stop() throws Exception {
        eider.close();
        s3.close();
    }

    @Test
    void export_snapshotThenChanges_readsBackSameRowsTypesAndDeletes() throws Exception {
        post(
                "{\"id\": 1, \"at\": \"2024-05-01T12:00:00.123456Z\", \"amount\": 12.34, \"payload\": {\"a\": [1, 2]}, \"day\": \"2024-05-01\", \"note\": \"one\"}");
        post(
                "{\"id\": 2, \"at\": \"2024-05-02T00:00:00Z\", \"amount\": -0.5, \"payload\": \"x\", \"day\": \"2024-05-02\", \"note\": null}");
        post("{\"id\": 3, \"at\": null, \"amount\": null, \"payload\": null, \"day\": null, \"note\": \"three\"}");
        long snapshot = export("snapshot");

        post(
                "{\"id\": 1, \"at\": \"2024-05-01T12:00:00Z\", \"amount\": 99.99, \"payload\": {}, \"day\": \"2024-05-01\", \"note\": \"changed\"}");
        assertThat(http.delete("/v1/tables/events/records/2").statusCode()).isEqualTo(200);
        long changes = export("changes");

        ExportedTable bucket = new ExportedTable(target, dir.resolve("download"));
        JsonNode head = bucket.head("events");
        assertThat(head.path("snapshot").path("export_id").asLong()).isEqualTo(snapshot);
        assertThat(head.path("changes")).hasSize(1);
        assertThat(head.path("changes").get(0).path("export_id").asLong()).isEqualTo(changes);

        List<Path> snap = bucket.files(head.path("snapshot").path("manifest").asText());
        assertThat(ExportedTable.query(snap, "SELECT id, \"at\", amount, payload, day, note FROM f ORDER BY id"))
                .containsExactly(
                        "1|2024-05-01T12:00:00.123456Z|12.34|{\"a\":[1,2]}|2024-05-01|one",
                        "2|2024-05-02T00:00Z|-0.50|\"x\"|2024-05-02|null",
                        "3|null|null|null|null|three");
        assertThat(ExportedTable.query(
                        snap,
                        "SELECT name, logical_type FROM parquet_schema('" + snap.get(0)
                                + "') WHERE name IN ('at', 'amount', 'payload') ORDER BY name"))
                .containsExactly(
                        "amount|DecimalType(scale=2, precision=12)",
                        "at|TimestampType(isAdjustedToUTC=1, unit=TimeUnit(MILLIS=<null>, MICROS=MicroSeconds(), NANOS=<null>))",
                        "payload|JsonType()");

        List<Path> delta =
                bucket.files(head.path("changes").get(0).path("manifest").asText());
        assertThat(ExportedTable.query(delta, "SELECT id, _op, amount, note FROM f ORDER BY id"))
                .containsExactly("1|upsert|99.99|changed", "2|delete|null|null");
        JsonNode manifest =
                bucket.json(head.path("changes").get(0).path("manifest").asText());
        assertThat(manifest.path("rows").asLong()).isEqualTo(2);
        assertThat(manifest.path("files").get(0).path("sha256").asText()).hasSize(64);
    }

    @Test
    void export_snapshotOfValuesOfTheLargestDefaultSize_readsBackWhole() throws Exception {
        // 6,000 texts of 16KB (the default server.max_value), random so that nothing compresses them
        // away: by rows alone DuckDB built row groups of the whole table and ran out of memory.
        java.util.Random random = new java.util.Random(7);
        for (int request = 0; request < 60; request++) {
            StringBuilder array = new StringBuilder("[");
            for (int i = 0; i < 100; i++) {
                char[] note = new char[16_000];
                for (int c = 0; c < note.length; c++) {
                    note[c] = (char) ('a' + random.nextInt(26));
                }
                array.append(i == 0 ? "" : ",")
                        .append("{\"id\": ")
                        .append(request * 100 + i)
                        .append(", \"note\": \"")
                        .append(note)
                        .append("\"}");
            }
            post(array.append(']').toString());
        }

        long snapshot = export("snapshot", Duration.ofMinutes(3));

        ExportedTable bucket = new ExportedTable(target, dir.resolve("download"));
        JsonNode head = bucket.head("events");
        assertThat(head.path("snapshot").path("export_id").asLong()).isEqualTo(snapshot);
        List<Path> snap = bucket.files(head.path("snapshot").path("manifest").asText());
        assertThat(ExportedTable.query(
                        snap, "SELECT count(*), count(DISTINCT id), sum(length(note)), count(DISTINCT note) FROM f"))
                .containsExactly("6000|6000|96000000|6000");
    }

    @Test
    void export_withNoNewChanges_isSkippedAndWritesNothing() throws Exception {
        post("{\"id\": 1, \"note\": \"one\"}");
        export("changes");
        var answer = http.post("/v1/exports", "{\"table\": \"events\", \"mode\": \"changes\"}");
        long empty = json.readTree(answer.body()).path("id").asLong();
        JsonNode view = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> json.readTree(http.get("/v1/exports/" + empty).body()),
                        v -> v.path("state").asText().equals("skipped"));

        assertThat(view.path("rows").asLong()).isZero();
        assertThat(view.path("objects")).isEmpty();
        assertThat(view.path("manifest").isNull()).isTrue();
        assertThat(new ExportedTable(target, dir).head("events").path("changes"))
                .hasSize(1);
    }

    @Test
    void post_withUnknownModeOrTable_answersProblem() {
        var badMode = http.post("/v1/exports", "{\"table\": \"events\", \"mode\": \"everything\"}");
        assertThat(badMode.statusCode()).isEqualTo(400);
        assertThat(badMode.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(badMode.body()).contains("everything");
        assertThat(http.post("/v1/exports", "{\"table\": \"nope\"}").statusCode())
                .isEqualTo(404);
        assertThat(http.post("/v1/exports", "{\"tabel\": \"events\"}").statusCode())
                .isEqualTo(400);
        assertThat(http.get("/v1/exports/999").statusCode()).isEqualTo(404);
    }

    private void post(String record) {
        assertThat(http.post("/v1/tables/events/records", record).statusCode()).isEqualTo(200);
    }

    private long export(String mode) throws Exception {
        return export(mode, Duration.ofSeconds(30));
    }

    /** Starts an export over HTTP and waits until it succeeded; returns its id. */
    private long export(String mode, Duration within) throws Exception {
        var answer = http.post("/v1/exports", "{\"table\": \"events\", \"mode\": \"" + mode + "\"}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        long id = json.readTree(answer.body()).path("id").asLong();
        await().atMost(within)
                .until(() -> json.readTree(http.get("/v1/exports/" + id).body())
                        .path("state")
                        .asText()
                        .equals("succeeded"));
        return id;
    }
}
