package dev.eider.store;

import static dev.eider.testing.Problems.assertProblem;
import static dev.eider.testing.Tables.ndjson;
import static dev.eider.testing.Tables.ok;
import static dev.eider.testing.Tables.record;
import static dev.eider.testing.Tables.rowCount;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eider.testing.EiderServer;
import dev.eider.testing.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What was acknowledged is there after a clean restart on the same file, and sequences go on rising. */
class RestartIT {

    @RegisterExtension
    final EiderServer eider = EiderServer.with("", Map.of("ingest.stage_threshold", "100"));

    @Test
    void restart_keepsRecordsUpdatesAndDeletes() {
        Http http = eider.http();
        ok(http.post("/record", "{\"id\":1,\"value\":\"a\"}"));
        ok(http.post("/record", "{\"id\":1,\"value\":\"b\"}"));
        ok(http.post("/v1/tables/records/records", "application/x-ndjson", ndjson(10, 510, "bulk")));
        ok(http.delete("/v1/tables/records/records/10"));

        eider.restart();
        Http after = eider.http();

        assertThat(record(after, "records", 1).path("value").asText()).isEqualTo("b");
        assertThat(record(after, "records", 509).path("value").asText()).isEqualTo("bulk509");
        assertProblem(after.get("/v1/tables/records/records/10"), 404);
        assertThat(rowCount(after, "records")).isEqualTo(500);
    }

    @Test
    void restart_sequencesContinueAboveTheLastOne() {
        long before = ok(eider.http().post("/record", "{\"id\":1,\"value\":\"a\"}"))
                .path("sequence")
                .asLong();

        eider.restart();

        long after = ok(eider.http().post("/record", "{\"id\":2,\"value\":\"b\"}"))
                .path("sequence")
                .asLong();
        assertThat(after).isGreaterThan(before);
    }
}
