package dev.eider.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eider.testing.Clients;
import dev.eider.testing.EmbeddedPg;
import dev.eider.testing.Http;
import dev.eider.testing.RunningEider;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three instances on one PostgreSQL under concurrent writes to overlapping ids: each id ends with
 * the value of a write that no other write to it strictly followed (the last acknowledged write,
 * up to writes that overlapped in time), and every instance reads the same.
 */
class PgMultiInstanceIT {

    private static final int WRITERS = 6;
    private static final int WRITES_EACH = 150;
    private static final int IDS = 25;

    @TempDir
    Path dir;

    /** One acknowledged write: when it was sent and when its 200 came back. */
    record Write(String value, long sentNanos, long ackedNanos) {}

    @Test
    void threeInstances_overlappingIds_endWithTheLastAcknowledgedWritePerId() throws Exception {
        String url = EmbeddedPg.freshDatabase();
        List<RunningEider> instances = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Path own = Files.createDirectories(dir.resolve("instance-" + i));
                instances.add(RunningEider.start(own, "", Map.of("storage.database", url)));
            }
            Map<Long, List<Write>> writes = new ConcurrentHashMap<>();
            Clients.run(WRITERS, w -> {
                Random random = new Random(w);
                for (int n = 0; n < WRITES_EACH; n++) {
                    Http http = instances.get(random.nextInt(instances.size())).http();
                    long id = 1 + random.nextInt(IDS);
                    String value = "w" + w + "-" + n;
                    long sent = System.nanoTime();
                    HttpResponse<String> r = http.post("/record", "{\"id\":" + id + ",\"value\":\"" + value + "\"}");
                    long acked = System.nanoTime();
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    writes.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>())
                            .add(new Write(value, sent, acked));
                }
            });

            for (RunningEider instance : instances) {
                Map<Long, String> stored = readAll(instance.http());
                assertThat(stored.keySet()).isEqualTo(writes.keySet());
                writes.forEach(
                        (id, list) -> assertThat(stored.get(id)).as("id %d", id).isIn(lastCandidates(list)));
            }
        } finally {
            instances.forEach(RunningEider::close);
        }
    }

    /** Writes to one id that no other write to it started after (those could not have been overwritten). */
    private static List<String> lastCandidates(List<Write> writes) {
        List<String> candidates = new ArrayList<>();
        for (Write w : writes) {
            boolean followed = writes.stream().anyMatch(o -> o.sentNanos() > w.ackedNanos());
            if (!followed) {
                candidates.add(w.value());
            }
        }
        return candidates;
    }

    private static Map<Long, String> readAll(Http http) {
        JsonNode page =
                PgExports.read(http.get("/v1/tables/records/records?limit=1000").body());
        Map<Long, String> stored = new ConcurrentHashMap<>();
        page.path("records")
                .forEach(r -> stored.put(r.path("id").asLong(), r.path("value").asText()));
        return stored;
    }
}
