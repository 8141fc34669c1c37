package dev.eider.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eider.Eider;
import dev.eider.testing.ExportedTable;
import dev.eider.testing.FaultyProxy;
import dev.eider.testing.Http;
import dev.eider.testing.S3ProxyServer;
import dev.eider.testing.TestConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults between the service and S3: ingest keeps answering, the export fails visibly and then catches up. */
class ExportFaultIT {

    static final String CONFIG = """
      tables:
        - name: events
          primary_key: id
          columns:
            - {name: id, type: int64}
            - {name: note, type: string, nullable: true}
      """;

    @TempDir
    Path dir;

    final ObjectMapper json = new ObjectMapper();
    final Map<Long, String> expected = new TreeMap<>();

    @Test
    void export_throughErrorsDelaysAndOutage_catchesUpWithoutLossOrDuplicates() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start(dir, "bucket");
                FaultyProxy proxy = new FaultyProxy(s3.port())) {
            Map<String, String> flags = Map.of(
                    "export.target",
                    "s3://bucket/faults",
                    "export.s3.endpoint",
                    proxy.endpoint(),
                    "export.s3.path_style",
                    "true");
            try (Eider eider = Eider.start(TestConfig.in(dir, CONFIG, flags))) {
                Http http = new Http(eider.port());
                for (long id = 1; id <= 50; id++) {
                    upsert(http, id, "a");
                }
                awaitState(http, startExport(http, "snapshot"), "succeeded");

                // The outage is a few seconds rather than the minute: the exporter's backoff
                // (1, 2, 4 ... s) behaves the same, and a minute would only make the suite slower.
                proxy.mode(FaultyProxy.Mode.DROP);
                for (long id = 1; id <= 50; id++) {
                    upsert(http, id, "b");
                }
                long failing = startExport(http, "changes");
                for (long id = 51; id <= 100; id++) {
                    upsert(http, id, "b");
                }
                JsonNode failed = awaitState(http, failing, "failed");
                assertThat(failed.path("error").asText()).isNotBlank();
                for (long id = 40; id <= 60; id++) {
                    assertThat(http.delete("/v1/tables/events/records/" + id).statusCode())
                            .isEqualTo(200);
                    expected.remove(id);
                }

                proxy.mode(FaultyProxy.Mode.ERROR);
                // At least one more attempt meets the errors (no sleep: the attempt count says it happened).
                int before = failed.path("attempts").asInt();
                await().atMost(Duration.ofSeconds(60))
                        .until(() ->
                                json.readTree(http.get("/v1/exports/" + failing).body())
                                                .path("attempts")
                                                .asInt()
                                        > before);
                proxy.mode(FaultyProxy.Mode.DELAY);
                JsonNode done = awaitState(http, failing, "succeeded");
                assertThat(done.path("attempts").asInt()).isGreaterThan(1);
                proxy.mode(FaultyProxy.Mode.PASS);
                awaitState(http, startExport(http, "changes"), "succeeded");
            }
            ExportedTable bucket = new ExportedTable(
                    new S3Target(s3.client(), "bucket", "faults", 64L << 20, 16L << 20), dir.resolve("download"));
            assertThat(bucket.replay("events", "note")).isEqualTo(expected);
        }
    }

    /** Ingest does not depend on S3: writes answer 200 while the store fails or stalls (no timing asserted). */
    private void upsert(Http http, long id, String note) {
        var r = http.post("/v1/tables/events/records", "{\"id\": " + id + ", \"note\": \"" + note + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        expected.put(id, note);
    }

    private long startExport(Http http, String mode) throws Exception {
        var r = http.post("/v1/exports", "{\"table\": \"events\", \"mode\": \"" + mode + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return json.readTree(r.body()).path("id").asLong();
    }

    private JsonNode awaitState(Http http, long id, String state) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60))
                .until(() -> (last[0] =
                                json.readTree(http.get("/v1/exports/" + id).body()))
                        .path("state")
                        .asText()
                        .equals(state));
        return last[0];
    }
}
