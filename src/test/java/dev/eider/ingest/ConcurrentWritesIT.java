package dev.eider.ingest;

import static dev.eider.testing.Tables.ndjson;
import static dev.eider.testing.Tables.ok;
import static dev.eider.testing.Tables.record;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eider.testing.Clients;
import dev.eider.testing.EiderServer;
import dev.eider.testing.Http;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many clients writing overlapping ids at once: the final state of each id is its last
 * acknowledged write. Acknowledgements are ordered by their commit sequence; writes acknowledged
 * with the same sequence shared one commit, in which the queue's order decides, so any of them
 * may be the last.
 */
class ConcurrentWritesIT {

    private static final int CLIENTS = 16;
    private static final int WRITES_EACH = 60;
    private static final int IDS = 12;
    private static final String RECORDS = "/v1/tables/records/records";

    @RegisterExtension
    final EiderServer eider = EiderServer.with("", Map.of("ingest.stage_threshold", "100"));

    /** One acknowledged write: the value written to {@code id} and its commit's sequence. */
    record Ack(long id, String value, long sequence) {}

    @Test
    void overlappingWrites_finalStateIsTheLastAcknowledgedWritePerId() {
        Queue<Ack> acks = new ConcurrentLinkedQueue<>();

        Clients.run(CLIENTS, client -> acks.addAll(write(client)));

        assertThat(acks).hasSize(CLIENTS * WRITES_EACH + CLIENTS * WRITES_EACH / 3);
        Http http = eider.http();
        Map<Long, List<Ack>> byId = acks.stream().collect(Collectors.groupingBy(Ack::id));
        assertThat(byId).hasSize(IDS);
        byId.forEach((id, writes) -> {
            long last = writes.stream().mapToLong(Ack::sequence).max().orElseThrow();
            List<String> lastValues = writes.stream()
                    .filter(a -> a.sequence() == last)
                    .map(Ack::value)
                    .toList();
            JsonNode stored = record(http, "records", id);
            assertThat(stored.path("value").asText()).as("id %d", id).isIn(lastValues);
        });
    }

    @Test
    void concurrentLargeBatchesOverTheSameIds_finalStateIsWhollyOneLastAcknowledgedBatch() {
        int lines = 300;
        Queue<Ack> acks = new ConcurrentLinkedQueue<>();

        // Each request is staged (over the threshold) and writes every id, so the requests must not interleave.
        Clients.run(4, client -> {
            for (int round = 0; round < 3; round++) {
                String prefix = "c" + client + "r" + round + "-";
                long sequence = ok(eider.http().post(RECORDS, "application/x-ndjson", ndjson(0, lines, prefix)))
                        .path("sequence")
                        .asLong();
                acks.add(new Ack(-1, prefix, sequence));
            }
        });

        long last = acks.stream().mapToLong(Ack::sequence).max().orElseThrow();
        List<String> lastPrefixes =
                acks.stream().filter(a -> a.sequence() == last).map(Ack::value).toList();
        Set<String> prefixes = new HashSet<>();
        values(eider.http(), lines).forEach(v -> prefixes.add(v.substring(0, v.indexOf('-') + 1)));
        assertThat(prefixes).singleElement().isIn(lastPrefixes);
    }

    private static List<String> values(Http http, int lines) {
        JsonNode page = ok(http.get(RECORDS + "?limit=1000"));
        assertThat(page.path("records")).hasSize(lines);
        return page.path("records").findValuesAsText("value");
    }

    /** One client's writes, each sent after the previous one was answered; returns its acknowledgements. */
    private List<Ack> write(int client) {
        Http http = eider.http();
        Random random = new Random(client);
        List<Ack> acks = new ArrayList<>();
        long previous = 0;
        for (int n = 0; n < WRITES_EACH; n++) {
            long id = random.nextInt(IDS);
            String value = "c" + client + "-" + n;
            List<Ack> written = new ArrayList<>();
            long sequence;
            if (n % 3 == 0) {
                // A batch of two records, the second to another id: both carry the batch's commit sequence.
                long other = (id + 1) % IDS;
                sequence = ok(http.post(
                                RECORDS,
                                "[{\"id\":" + id + ",\"value\":\"" + value + "\"},{\"id\":" + other + ",\"value\":\""
                                        + value + "b\"}]"))
                        .path("sequence")
                        .asLong();
                written.add(new Ack(other, value + "b", sequence));
            } else if (n % 3 == 1) {
                sequence = ok(http.post("/record", "{\"id\":" + id + ",\"value\":\"" + value + "\"}"))
                        .path("sequence")
                        .asLong();
            } else {
                sequence = ok(http.put(RECORDS + "/" + id, "{\"id\":" + id + ",\"value\":\"" + value + "\"}"))
                        .path("sequence")
                        .asLong();
            }
            written.add(0, new Ack(id, value, sequence));
            assertThat(sequence).as("a client's later write commits later").isGreaterThan(previous);
            previous = sequence;
            acks.addAll(written);
        }
        return acks;
    }
}
