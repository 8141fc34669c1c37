package dev.eider.http;

import static dev.eider.testing.Problems.assertProblem;
import static dev.eider.testing.Tables.ndjson;
import static dev.eider.testing.Tables.ok;
import static dev.eider.testing.Tables.record;
import static dev.eider.testing.Tables.rowCount;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eider.testing.EiderServer;
import dev.eider.testing.Http;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The record endpoints against a real server: the original API, upserts, batches, NDJSON, single records. */
class RecordApiIT {

    private static final String RECORDS = "/v1/tables/records/records";

    @RegisterExtension
    final EiderServer eider = EiderServer.with("", Map.of("ingest.stage_threshold", "100"));

    @Test
    void get_textBeyondTheBasicPlane_isSentAsUtf8NotAsEscapes() {
        // New-user trial: an emoji went out as two 6-byte escapes ("\uD83D\uDE00"), pages three times larger.
        Http http = eider.http();
        ok(http.post(RECORDS, "{\"id\":7,\"value\":\"\ud83d\ude00 caf\u00e9\"}"));

        String one = http.get(RECORDS + "/7").body();
        String page = http.get(RECORDS).body();

        assertThat(one).contains("\uD83D\uDE00 caf\u00e9").doesNotContain("\\u");
        assertThat(page).contains("\uD83D\uDE00 caf\u00e9").doesNotContain("\\u");
    }

    @Test
    void postRecord_thenUpdate_getShowsNewValue() {
        Http http = eider.http();
        JsonNode first = ok(http.post("/record", "{\"id\":1,\"value\":\"a\"}"));
        JsonNode second = ok(http.post("/record", "{\"id\":1,\"value\":\"b\"}"));

        assertThat(first.path("status").asText()).isEqualTo("success");
        assertThat(second.path("sequence").asLong())
                .isGreaterThan(first.path("sequence").asLong());
        HttpResponse<String> got = http.get(RECORDS + "/1");
        assertThat(ok(got)).isEqualTo(json("{\"id\":1,\"value\":\"b\"}"));
        assertThat(got.headers().firstValue("Eider-Sequence"))
                .hasValue(second.path("sequence").asText());
        assertThat(rowCount(http, "records")).isEqualTo(1);
    }

    @Test
    void postRecord_withoutId_refusedAndNothingStored() {
        Http http = eider.http();
        JsonNode problem = assertProblem(http.post("/record", "{\"value\":\"a\"}"), 422);

        assertThat(problem.path("pointer").asText()).isEqualTo("/id");
        assertThat(rowCount(http, "records")).isZero();
    }

    @Test
    void post_existingId_replacesTheRecord() {
        Http http = eider.http();
        ok(http.post(RECORDS, "{\"id\":5,\"value\":\"old\"}"));
        ok(http.post(RECORDS, "{\"id\":5,\"value\":\"new\"}"));

        assertThat(record(http, "records", 5)).isEqualTo(json("{\"id\":5,\"value\":\"new\"}"));
        assertThat(rowCount(http, "records")).isEqualTo(1);
    }

    @Test
    void postOrPut_withoutTheNonNullValue_is422NamingItAndNothingStored() {
        Http http = eider.http();
        JsonNode missing = assertProblem(http.post(RECORDS, "[{\"id\":1,\"value\":\"a\"},{\"id\":3}]"), 422);
        JsonNode nulled = assertProblem(http.put(RECORDS + "/4", "{\"id\":4,\"value\":null}"), 422);

        assertThat(missing.path("pointer").asText()).isEqualTo("/1/value");
        assertThat(missing.path("detail").asText()).contains("missing required field 'value'");
        assertThat(nulled.path("detail").asText()).contains("'value' must not be null");
        assertThat(rowCount(http, "records")).isZero();
    }

    @Test
    void post_array_writesEveryElementAndCountsThem() {
        Http http = eider.http();
        JsonNode answer = ok(http.post(
                RECORDS, "[{\"id\":1,\"value\":\"a\"},{\"id\":2,\"value\":\"b\"},{\"id\":3,\"value\":\"\"}]"));

        assertThat(answer.path("written").asLong()).isEqualTo(3);
        assertThat(answer.path("sequence").asLong()).isPositive();
        assertThat(rowCount(http, "records")).isEqualTo(3);
        assertThat(record(http, "records", 3).path("value").asText()).isEmpty();
    }

    @Test
    void post_arrayWithOneIdTwice_keepsTheLast() {
        Http http = eider.http();
        ok(http.post(RECORDS, "[{\"id\":1,\"value\":\"first\"},{\"id\":1,\"value\":\"last\"}]"));

        assertThat(record(http, "records", 1).path("value").asText()).isEqualTo("last");
    }

    @Test
    void post_arrayWithBadElement_refusesWholeBatch() {
        Http http = eider.http();
        ok(http.post(RECORDS, "{\"id\":1,\"value\":\"kept\"}"));

        JsonNode problem = assertProblem(
                http.post(RECORDS, "[{\"id\":1,\"value\":\"x\"},{\"id\":2,\"value\":\"y\"},{\"id\":3,\"value\":42}]"),
                422);

        assertThat(problem.path("pointer").asText()).isEqualTo("/2/value");
        assertThat(problem.path("detail").asText()).contains("element 2").contains("value");
        assertThat(rowCount(http, "records")).isEqualTo(1);
        assertThat(record(http, "records", 1).path("value").asText()).isEqualTo("kept");
    }

    @Test
    void post_emptyArray_refused() {
        assertProblem(eider.http().post(RECORDS, "[]"), 400);
    }

    @Test
    void post_ndjson_writesEveryLine() {
        Http http = eider.http();
        JsonNode answer = ok(http.post(RECORDS, "application/x-ndjson", ndjson(0, 10, "v")));

        assertThat(answer.path("written").asLong()).isEqualTo(10);
        assertThat(rowCount(http, "records")).isEqualTo(10);
        assertThat(record(http, "records", 9).path("value").asText()).isEqualTo("v9");
    }

    @Test
    void post_ndjsonWithBadLine_refusesWholeBatch() {
        Http http = eider.http();
        ok(http.post(RECORDS, "{\"id\":1,\"value\":\"kept\"}"));
        String body = "{\"id\":1,\"value\":\"x\"}\n{\"id\":2,\"value\":\"y\"}\n{\"id\":\"three\",\"value\":\"z\"}\n";

        JsonNode problem = assertProblem(http.post(RECORDS, "application/x-ndjson", body), 422);

        assertThat(problem.path("line").asLong()).isEqualTo(3);
        assertThat(problem.path("pointer").asText()).isEqualTo("/id");
        assertThat(problem.path("detail").asText()).startsWith("line 3");
        assertThat(rowCount(http, "records")).isEqualTo(1);
        assertThat(record(http, "records", 1).path("value").asText()).isEqualTo("kept");
    }

    @Test
    void post_ndjsonWithMalformedLine_namesTheLine() {
        Http http = eider.http();
        JsonNode problem = assertProblem(
                http.post(RECORDS, "application/x-ndjson", "{\"id\":1,\"value\":\"a\"}\n{\"id\":2,\n"), 400);

        assertThat(problem.path("line").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(rowCount(http, "records")).isZero();
    }

    @Test
    void post_ndjsonAboveStageThreshold_streamsAndLastWriteWins() {
        Http http = eider.http();
        // 1,000 lines over ids 0..499 twice: the staged path, with duplicates that the later line must win.
        String body = ndjson(0, 500, "first") + ndjson(0, 500, "second");

        JsonNode answer = ok(http.postChunked(RECORDS, "application/x-ndjson", body.getBytes(StandardCharsets.UTF_8)));

        assertThat(answer.path("written").asLong()).isEqualTo(1000);
        assertThat(rowCount(http, "records")).isEqualTo(500);
        assertThat(record(http, "records", 0).path("value").asText()).isEqualTo("second0");
        assertThat(record(http, "records", 499).path("value").asText()).isEqualTo("second499");
    }

    @Test
    void post_ndjsonAboveStageThresholdWithBadLastLine_refusesWholeBatch() {
        Http http = eider.http();
        ok(http.post(RECORDS, "{\"id\":1,\"value\":\"kept\"}"));
        String body = ndjson(0, 999, "new") + "{\"id\":999,\"colour\":\"red\"}\n";

        JsonNode problem = assertProblem(http.post(RECORDS, "application/x-ndjson", body), 422);

        assertThat(problem.path("line").asLong()).isEqualTo(1000);
        assertThat(problem.path("pointer").asText()).isEqualTo("/colour");
        assertThat(rowCount(http, "records")).isEqualTo(1);
        assertThat(record(http, "records", 1).path("value").asText()).isEqualTo("kept");
    }

    @Test
    void post_twoLargeRequestsInARow_bothCommitted() {
        Http http = eider.http();
        ok(http.post(RECORDS, "application/x-ndjson", ndjson(0, 300, "a")));
        ok(http.post(RECORDS, "application/x-ndjson", ndjson(300, 600, "b")));

        assertThat(rowCount(http, "records")).isEqualTo(600);
    }

    @Test
    void post_largeRequestsOfNewThenOverlappingKeys_insertThenUpdate() {
        Http http = eider.http();
        ok(http.post(RECORDS, "application/x-ndjson", ndjson(0, 300, "new")));
        ok(http.delete(RECORDS + "/10"));
        // Keys 150..449: half already stored, one of them (10 is not among them) deleted earlier.
        ok(http.post(RECORDS, "application/x-ndjson", ndjson(150, 450, "newer") + ndjson(10, 11, "back")));

        assertThat(rowCount(http, "records")).isEqualTo(450);
        assertThat(record(http, "records", 149).path("value").asText()).isEqualTo("new149");
        assertThat(record(http, "records", 150).path("value").asText()).isEqualTo("newer150");
        assertThat(record(http, "records", 449).path("value").asText()).isEqualTo("newer449");
        assertThat(record(http, "records", 10).path("value").asText()).isEqualTo("back10");
    }

    @Test
    void get_missingRecord_is404() {
        JsonNode problem = assertProblem(eider.http().get(RECORDS + "/404"), 404);

        assertThat(problem.path("detail").asText()).contains("404");
    }

    @Test
    void get_keyThatIsNotAnInteger_is404() {
        assertProblem(eider.http().get(RECORDS + "/abc"), 404);
    }

    @Test
    void put_newThenExisting_createsThenReplaces() {
        Http http = eider.http();
        ok(http.put(RECORDS + "/7", "{\"id\":7,\"value\":\"a\"}"));
        JsonNode answer = ok(http.put(RECORDS + "/7", "{\"id\":7,\"value\":\"b\"}"));

        assertThat(answer.path("written").asLong()).isEqualTo(1);
        assertThat(record(http, "records", 7).path("value").asText()).isEqualTo("b");
    }

    @Test
    void put_keyInBodyDiffersFromPath_is422AndNothingStored() {
        Http http = eider.http();
        ok(http.put(RECORDS + "/7", "{\"id\":7,\"value\":\"a\"}"));

        JsonNode problem = assertProblem(http.put(RECORDS + "/7", "{\"id\":8,\"value\":\"b\"}"), 422);

        assertThat(problem.path("pointer").asText()).isEqualTo("/id");
        assertThat(record(http, "records", 7).path("value").asText()).isEqualTo("a");
        assertProblem(http.get(RECORDS + "/8"), 404);
    }

    @Test
    void delete_existing_removesItFromReadsAndCount() {
        Http http = eider.http();
        ok(http.post(RECORDS, "[{\"id\":1,\"value\":\"a\"},{\"id\":2,\"value\":\"b\"}]"));

        JsonNode answer = ok(http.delete(RECORDS + "/1"));

        assertThat(answer.path("deleted").asLong()).isEqualTo(1);
        assertThat(answer.path("sequence").asLong()).isPositive();
        assertProblem(http.get(RECORDS + "/1"), 404);
        assertThat(rowCount(http, "records")).isEqualTo(1);
        assertThat(ok(http.get(RECORDS)).path("records")).hasSize(1);
    }

    @Test
    void delete_missing_is404() {
        assertProblem(eider.http().delete(RECORDS + "/1"), 404);
    }

    @Test
    void delete_thenPostAgain_recordIsBack() {
        Http http = eider.http();
        ok(http.post(RECORDS, "{\"id\":1,\"value\":\"a\"}"));
        ok(http.delete(RECORDS + "/1"));
        ok(http.post(RECORDS, "{\"id\":1,\"value\":\"again\"}"));

        assertThat(record(http, "records", 1).path("value").asText()).isEqualTo("again");
        assertThat(rowCount(http, "records")).isEqualTo(1);
    }

    @Test
    void unknownTable_is404OnEveryTableRoute() {
        Http http = eider.http();
        assertProblem(http.post("/v1/tables/nope/records", "{\"id\":1}"), 404);
        assertProblem(http.get("/v1/tables/nope/records"), 404);
        assertProblem(http.get("/v1/tables/nope/records/1"), 404);
        assertProblem(http.put("/v1/tables/nope/records/1", "{\"id\":1}"), 404);
        assertProblem(http.delete("/v1/tables/nope/records/1"), 404);
        JsonNode problem = assertProblem(http.get("/v1/tables/nope"), 404);
        assertThat(problem.path("detail").asText()).contains("nope");
    }

    @Test
    void unknownPath_is404AndWrongMethod_is405() {
        Http http = eider.http();
        assertProblem(http.get("/v2/nothing"), 404);
        JsonNode problem = assertProblem(http.delete("/record"), 405);
        assertThat(problem.path("detail").asText()).contains("POST");
    }

    private static JsonNode json(String s) {
        return dev.eider.testing.Jsons.parse(s);
    }
}
