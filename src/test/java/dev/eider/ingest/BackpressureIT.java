package dev.eider.ingest;

import static dev.eider.testing.Tables.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eider.testing.Clients;
import dev.eider.testing.EiderServer;
import dev.eider.testing.Http;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A full write queue answers 503 with Retry-After, and never loses what it acknowledged. */
class BackpressureIT {

    private static final int CLIENTS = 32;
    private static final int REQUESTS_EACH = 40;

    @RegisterExtension
    final EiderServer eider = EiderServer.with(
            "", Map.of("ingest.queue_capacity", "1", "ingest.max_batch_rows", "1", "ingest.retry_after", "2s"));

    @Test
    void post_queueFull_answers503WithRetryAfterAndKeepsEveryAcknowledgedRecord() {
        Map<Integer, String> acknowledged = new ConcurrentHashMap<>();
        Map<Integer, HttpResponse<String>> refused = new ConcurrentHashMap<>();
        Clients.run(CLIENTS, c -> writeOwnIds(c, acknowledged, refused));

        assertThat(refused)
                .as("with a queue of one, some requests must be refused")
                .isNotEmpty();
        assertThat(acknowledged).isNotEmpty();
        refused.values().forEach(r -> {
            assertThat(r.headers().firstValue("Retry-After")).hasValue("2");
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        });
        Http http = eider.http();
        acknowledged.forEach((id, value) ->
                assertThat(record(http, "records", id).path("value").asText()).isEqualTo(value));
    }

    /** One client's writes, each to an id of its own; every answer must be 200 or 503. */
    private void writeOwnIds(
            int client, Map<Integer, String> acknowledged, Map<Integer, HttpResponse<String>> refused) {
        Http http = eider.http();
        for (int i = 0; i < REQUESTS_EACH; i++) {
            int id = client * REQUESTS_EACH + i;
            String value = "c" + client + "-" + i;
            HttpResponse<String> r = http.post("/record", "{\"id\":" + id + ",\"value\":\"" + value + "\"}");
            assertThat(r.statusCode()).as(r.body()).isIn(200, 503);
            if (r.statusCode() == 200) {
                acknowledged.put(id, value);
            } else {
                refused.put(id, r);
            }
        }
    }
}
