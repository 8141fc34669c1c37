package dev.eider.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eider.testing.Http;
import dev.eider.testing.Jsons;
import java.time.Duration;
import java.util.List;

/** Starts exports over HTTP and waits for them to finish. */
final class ExportWait {

    private ExportWait() {}

    /** Starts an export of {@code records} and returns its id. */
    static long start(Http http, String mode) {
        var r = http.post("/v1/exports", "{\"table\": \"records\", \"mode\": \"" + mode + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return Jsons.parse(r.body()).path("id").asLong();
    }

    /** Waits until the export leaves planned/running (a failure counts) and returns its view. */
    static JsonNode finish(Http http, long id) {
        return await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> Jsons.parse(http.get("/v1/exports/" + id).body()),
                        v -> !List.of("planned", "running")
                                .contains(v.path("state").asText()));
    }
}
