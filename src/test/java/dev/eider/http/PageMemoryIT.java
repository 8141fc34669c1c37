package dev.eider.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eider.testing.ChildEider;
import dev.eider.testing.Http;
import dev.eider.testing.Jsons;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A page read holds about its own rows on the heap, not what the database hands its driver: DuckDB returns
 * 2,048 rows at a time, each a Java string once fetched, so a page query that could return 1,000 values of
 * 60KB filled a 64MB heap before the page's size bound applied (a new-user trial's 500s and 503s).
 */
class PageMemoryIT {

    private static final int RECORDS = 1_000;
    private static final int VALUE_CHARS = 60_000;

    @TempDir
    Path dir;

    @Test
    void list_largestPagesOfLargeValues_readOnASmallHeap() throws IOException {
        // DuckDB's own memory (off the heap) gets what 60KB values need; the heap stays small.
        Files.writeString(dir.resolve("eider.yaml"), """
                server:
                  max_value: 64KB
                storage:
                  memory_limit: 1GB
                """);
        try (ChildEider eider = ChildEider.serve(dir, Map.of(), List.of("-Xmx64m", "-XX:+UseSerialGC"))) {
            Http http = eider.http();
            for (int first = 0; first < RECORDS; first += 50) {
                assertThat(http.post("/v1/tables/records/records", "application/x-ndjson", lines(first, 50))
                                .statusCode())
                        .as(eider.log())
                        .isEqualTo(200);
            }

            String after = null;
            int records = 0;
            int pages = 0;
            do {
                HttpResponse<String> page =
                        http.get("/v1/tables/records/records?limit=1000" + (after == null ? "" : "&after=" + after));
                assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
                JsonNode json = Jsons.parse(page.body());
                for (JsonNode r : json.path("records")) {
                    assertThat(r.path("id").asInt()).isEqualTo(records++);
                    assertThat(r.path("value").asText()).hasSize(VALUE_CHARS);
                }
                pages++;
                after = json.path("next").isNull() ? null : json.path("next").asText();
            } while (after != null);

            assertThat(records).isEqualTo(RECORDS);
            assertThat(pages).as("pages end at about 1MB of text").isGreaterThan(RECORDS / 20);
            assertThat(eider.log()).doesNotContain("OutOfMemoryError").doesNotContain("heap space");
        }
    }

    private static String lines(int first, int count) {
        return IntStream.range(first, first + count)
                .mapToObj(i -> "{\"id\":" + i + ",\"value\":\""
                        + Character.toString('a' + i % 26).repeat(VALUE_CHARS) + "\"}")
                .collect(Collectors.joining("\n"));
    }
}
