package dev.eider.store;

import static dev.eider.testing.Problems.assertProblem;
import static dev.eider.testing.Tables.ok;
import static dev.eider.testing.Tables.record;
import static dev.eider.testing.Tables.rowCount;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eider.table.StringKeys;
import dev.eider.testing.EiderServer;
import dev.eider.testing.Http;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Updates replace the stored row of exactly their key, whatever the key holds: the writer finds
 * stored rows through the primary-key index by keys written into SQL, so keys that SQL quotes,
 * escapes or cuts short are the ones to try.
 */
class ReplaceByKeyIT {

    private static final String YAML = """
      tables:
        - name: names
          primary_key: name
          columns:
            - {name: name, type: string}
            - {name: n, type: int64}
      """;

    private static final List<String> ODD_KEYS = List.of(
            "it's",
            "''",
            "back\\slash",
            "\\'",
            "ünïcødé ✓ 🦆",
            "percent%_under",
            "semi; DROP TABLE names; --",
            "a/b?c#d",
            "...",
            " ",
            "é".repeat(StringKeys.MAX_BYTES / 2));

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final EiderServer eider = EiderServer.with(YAML, Map.of());

    @Test
    void oddStringKeys_areUpdatedInPlace_neverDuplicatedOrConfused() {
        Http http = eider.http();
        ok(http.post("/v1/tables/names/records", rows(ODD_KEYS, 1)));
        ok(http.post("/v1/tables/names/records", rows(ODD_KEYS, 2)));
        // One at a time too, so that each key is also a batch of its own.
        for (String key : ODD_KEYS) {
            ok(http.post("/v1/tables/names/records", rows(List.of(key), 3)));
        }

        assertThat(rowCount(http, "names")).isEqualTo(ODD_KEYS.size());
        Map<String, Long> stored = new HashMap<>();
        ok(http.get("/v1/tables/names/records?limit=1000"))
                .path("records")
                .forEach(r -> stored.put(r.path("name").asText(), r.path("n").asLong()));
        assertThat(stored).containsOnlyKeys(ODD_KEYS);
        assertThat(stored.values()).containsOnly(3L);
    }

    @Test
    void thousandsOfUpdates_ofConsecutiveAndScatteredIds_inOneRequest_replaceEachOnce() {
        Http http = eider.http();
        String create = IntStream.range(0, 6_000)
                .mapToObj(i -> "{\"id\":" + i + ",\"value\":\"v1\"}")
                .collect(Collectors.joining(",", "[", "]"));
        ok(http.post("/v1/tables/records/records", create));
        // More keys than one index lookup list holds, consecutive ones first, then every third,
        // with one key updated twice (the later one wins) and one id new.
        String update = IntStream.concat(
                        IntStream.range(0, 4_500), IntStream.iterate(4_500, i -> i < 6_001, i -> i + 3))
                .mapToObj(i -> "{\"id\":" + i + ",\"value\":\"v2\"}")
                .collect(Collectors.joining(",", "[", ",{\"id\":7,\"value\":\"v3\"}]"));
        ok(http.post("/v1/tables/records/records", update));

        assertThat(rowCount(http, "records")).isEqualTo(6_001);
        assertThat(record(http, "records", 7).path("value").asText()).isEqualTo("v3");
        assertThat(record(http, "records", 4_499).path("value").asText()).isEqualTo("v2");
        assertThat(record(http, "records", 4_501).path("value").asText()).isEqualTo("v1");
        assertThat(record(http, "records", 6_000).path("value").asText()).isEqualTo("v2");
    }

    @Test
    void int64KeysAtTheirLimits_areUpdatedInPlace() {
        Http http = eider.http();
        for (String value : List.of("first", "second")) {
            ok(http.post(
                    "/v1/tables/records/records",
                    "[{\"id\":9223372036854775807,\"value\":\"" + value + "\"},"
                            + "{\"id\":-9223372036854775808,\"value\":\"" + value + "\"},{\"id\":0,\"value\":\""
                            + value + "\"}]"));
        }

        assertThat(rowCount(http, "records")).isEqualTo(3);
        assertThat(record(http, "records", Long.MIN_VALUE).path("value").asText())
                .isEqualTo("second");
        assertThat(record(http, "records", Long.MAX_VALUE).path("value").asText())
                .isEqualTo("second");
    }

    @Test
    void everyOddKey_canBeReadReplacedAndDeletedByItsPath() {
        Http http = eider.http();
        ok(http.post("/v1/tables/names/records", rows(ODD_KEYS, 1)));

        for (String key : ODD_KEYS) {
            String path = "/v1/tables/names/records/" + pathSegment(key);
            assertThat(ok(http.get(path)).path("name").asText()).as(key).isEqualTo(key);
            ok(http.put(
                    path, JSON.createObjectNode().put("name", key).put("n", 2).toString()));
            assertThat(ok(http.get(path)).path("n").asLong()).as(key).isEqualTo(2);
            assertThat(http.delete(path).statusCode()).as(key).isEqualTo(200);
            assertThat(http.get(path).statusCode()).as(key).isEqualTo(404);
        }
        assertThat(rowCount(http, "names")).isZero();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", ".", "..", "a\u0000b", "tab\there", "line\nbreak", "del\u007f", "next\u0085line", "c1\u009f"
            })
    void keysNoPathCanName_areRefusedNamingTheKey_andNothingIsStored(String key) {
        Http http = eider.http();

        HttpResponse<String> r = http.post("/v1/tables/names/records", rows(List.of("fine", key), 1));

        assertProblem(r, 422);
        assertThat(r.body()).contains("primary key 'name'");
        assertThat(rowCount(http, "names")).isZero();
    }

    @Test
    void keysLongerThan1024BytesInUtf8_areRefused() {
        Http http = eider.http();

        assertProblem(http.post("/v1/tables/names/records", rows(List.of("x".repeat(1_025)), 1)), 422);
        assertProblem(http.post("/v1/tables/names/records", rows(List.of("é".repeat(513)), 1)), 422);
        ok(http.post("/v1/tables/names/records", rows(List.of("x".repeat(1_024)), 1)));
        assertThat(rowCount(http, "names")).isEqualTo(1);
    }

    private static String pathSegment(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String rows(List<String> keys, long n) {
        return keys.stream()
                .map(k -> JSON.createObjectNode().put("name", k).put("n", n).toString())
                .collect(Collectors.joining(",", "[", "]"));
    }
}
