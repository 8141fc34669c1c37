package dev.eider.http;

import static dev.eider.testing.Problems.assertProblem;
import static dev.eider.testing.Tables.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eider.testing.Clients;
import dev.eider.testing.EiderServer;
import dev.eider.testing.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Keyset pagination: ordered by key, follows {@code next}, and stable while writes go on. */
class PaginationIT {

    private static final String RECORDS = "/v1/tables/records/records";

    @RegisterExtension
    final EiderServer eider = EiderServer.withDefaults();

    @Test
    void list_followingNext_visitsEveryRecordOnceInKeyOrder() {
        Http http = eider.http();
        ok(http.post(
                RECORDS, array(IntStream.range(1, 26).map(i -> i * 2).boxed().toList(), "v")));

        List<JsonNode> pages = pages(http, 10);

        assertThat(pages).hasSize(3);
        assertThat(pages.get(0).path("next").asText()).isEqualTo("20");
        assertThat(pages.get(2).path("next").isNull()).isTrue();
        assertThat(ids(pages))
                .containsExactlyElementsOf(
                        IntStream.range(1, 26).map(i -> i * 2).boxed().toList());
    }

    @Test
    void list_aPageThatEndsTheTable_hasNoNext() {
        Http http = eider.http();
        ok(http.post(RECORDS, array(List.of(1, 2, 3, 4), "v")));

        JsonNode whole = ok(http.get(RECORDS + "?limit=4"));

        assertThat(whole.path("records")).hasSize(4);
        assertThat(whole.path("next").isNull()).as(whole.toString()).isTrue();
        assertThat(ok(http.get(RECORDS + "?limit=3")).path("next").asText()).isEqualTo("3");
    }

    @Test
    void list_largeValues_pagesStopAtTheirSizeBoundAndNextReadsTheRest() {
        Http http = eider.http();
        String large = "x".repeat(16_000);
        List<Integer> keys = IntStream.rangeClosed(1, 800).boxed().toList();
        for (int from = 0; from < keys.size(); from += 100) {
            ok(http.post(RECORDS, array(keys.subList(from, from + 100), large)));
        }

        List<JsonNode> pages = pages(http, 1000);

        // 800 values of 16KB: more than one page holds (8MB, counting two bytes a character).
        assertThat(pages).hasSizeGreaterThan(2);
        assertThat(pages.get(0).path("records").size()).isBetween(1, 300);
        assertThat(ids(pages)).containsExactlyElementsOf(keys);
        pages.forEach(p -> p.path("records")
                .forEach(r -> assertThat(r.path("value").asText()).isEqualTo(large)));
    }

    @Test
    void list_emptyTable_hasNoRecordsAndNoNext() {
        JsonNode page = ok(eider.http().get(RECORDS));

        assertThat(page.path("records")).isEmpty();
        assertThat(page.path("next").isNull()).isTrue();
    }

    @Test
    void list_afterTheLastKey_isEmpty() {
        Http http = eider.http();
        ok(http.post(RECORDS, array(List.of(1, 2, 3), "v")));

        assertThat(ok(http.get(RECORDS + "?after=3")).path("records")).isEmpty();
        assertThat(ok(http.get(RECORDS + "?after=-100&limit=2")).path("records").findValuesAsText("id"))
                .containsExactly("1", "2");
    }

    @Test
    void list_whileOthersWriteAndDelete_seesEveryUntouchedRecordExactlyOnceInOrder() {
        Http http = eider.http();
        List<Integer> even = IntStream.range(0, 300).map(i -> i * 2).boxed().toList();
        ok(http.post(RECORDS, array(even, "before")));
        AtomicBoolean listing = new AtomicBoolean(true);
        List<List<Integer>> listings = new ArrayList<>();

        Clients.run(3, client -> {
            if (client == 0) {
                for (int round = 0; round < 5; round++) {
                    listings.add(ids(pages(eider.http(), 7)));
                }
                listing.set(false);
                return;
            }
            // Meanwhile: new odd keys everywhere, updates of even keys, and deletes of keys above 600.
            Http writer = eider.http();
            for (int n = 0; listing.get(); n++) {
                int odd = (n * 37 % 600) * 2 + 1;
                ok(writer.post(RECORDS, array(List.of(odd, n % 300 * 2), "during" + client)));
                ok(writer.post("/record", "{\"id\":" + (700 + n) + ",\"value\":\"x\"}"));
                writer.delete(RECORDS + "/" + (700 + n));
            }
        });

        for (List<Integer> ids : listings) {
            assertThat(ids).isSorted().doesNotHaveDuplicates().containsAll(even);
        }
    }

    @Test
    void list_badCursorOrLimit_is4xx() {
        Http http = eider.http();
        assertProblem(http.get(RECORDS + "?limit=-1"), 400);
        assertProblem(http.get(RECORDS + "?after=1.5"), 400);
    }

    /** Reads every page with {@code limit}, following {@code next}. */
    private static List<JsonNode> pages(Http http, int limit) {
        List<JsonNode> pages = new ArrayList<>();
        String after = null;
        do {
            JsonNode page = ok(http.get(RECORDS + "?limit=" + limit + (after == null ? "" : "&after=" + after)));
            pages.add(page);
            after = page.path("next").isNull() ? null : page.path("next").asText();
        } while (after != null);
        return pages;
    }

    private static List<Integer> ids(List<JsonNode> pages) {
        List<Integer> ids = new ArrayList<>();
        pages.forEach(p -> p.path("records").forEach(r -> ids.add(r.path("id").asInt())));
        return ids;
    }

    private static String array(List<Integer> ids, String value) {
        return ids.stream()
                .map(id -> "{\"id\":" + id + ",\"value\":\"" + value + "\"}")
                .collect(Collectors.joining(",", "[", "]"));
    }
}
