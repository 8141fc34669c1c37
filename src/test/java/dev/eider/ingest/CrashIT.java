package dev.eider.ingest;

import static dev.eider.testing.Tables.ok;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eider.testing.ChildEider;
import dev.eider.testing.Clients;
import dev.eider.testing.EmbeddedPg;
import dev.eider.testing.Http;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 under load: every write answered 200 before the kill is there after a restart, with its
 * last acknowledged value; a write that got no answer may or may not be there.
 */
class CrashIT {

    private static final int WRITERS = 8;
    private static final int IDS_EACH = 50;
    private static final int ACKS_BEFORE_KILL = 2_000;

    @TempDir
    Path dir;

    /** What one id saw: the last value acknowledged, and a value sent whose answer never came. */
    record Outcome(String acknowledged, String unanswered) {}

    @Test
    void killDuringLoad_everyAcknowledgedWriteSurvives() {
        Map<Long, Outcome> outcomes = new ConcurrentHashMap<>();
        AtomicInteger acked = new AtomicInteger();
        // With -Deider.test.store=postgres: both runs on one PostgreSQL database, no write-ahead log of Eider's own.
        Map<String, String> env =
                EmbeddedPg.selected() ? Map.of("EIDER_DATABASE", EmbeddedPg.freshDatabase()) : Map.of();
        try (ChildEider child = ChildEider.serve(dir, env)) {
            Thread killer = new Thread(() -> {
                try {
                    await().atMost(120, SECONDS).until(() -> acked.get() >= ACKS_BEFORE_KILL);
                } finally {
                    child.kill();
                }
            });
            killer.start();
            Clients.run(WRITERS, w -> writeUntilTheServerDies(child.http(), w, outcomes, acked));
            // Writers stop at the first refused connection, which can come before the kill has reaped the process.
            join(killer);
            assertThat(acked.get()).isGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
            assertThat(child.isAlive()).isFalse();
        }

        try (ChildEider restarted = ChildEider.serve(dir, env)) {
            Map<Long, String> stored = readAll(restarted.http());
            assertThat(outcomes.values().stream().filter(o -> o.acknowledged() != null))
                    .hasSizeGreaterThan(WRITERS);
            outcomes.forEach((id, o) -> {
                if (o.acknowledged() != null) {
                    assertThat(stored.get(id)).as("id %d", id).isIn(o.acknowledged(), o.unanswered());
                } else {
                    assertThat(stored.get(id))
                            .as("id %d, never acknowledged", id)
                            .isIn(null, o.unanswered());
                }
            });
        }
    }

    /**
     * Rows gathered in DuckDB and not yet applied (here an hour may pass before they are, and no read
     * asks for them) are in the write-ahead log too: after kill -9 the restart replays them.
     */
    @Test
    void killWithRowsGatheredButNotApplied_everyAcknowledgedWriteSurvives() {
        assumeFalse(EmbeddedPg.selected(), "PostgreSQL applies each batch as it comes");
        Map<String, String> env = Map.of("EIDER_APPLY_EVERY", "1h");
        try (ChildEider child = ChildEider.serve(dir, env)) {
            for (int id = 1; id <= 200; id++) {
                HttpResponse<String> r = child.http().post("/record", "{\"id\":" + id + ",\"value\":\"v" + id + "\"}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            }
            assertThat(child.http().get("/metrics").body())
                    .as("none applied yet")
                    .containsPattern("(?m)^eider_apply_lag_rows(\\{[^}]*\\})? 200\\.0$");
            child.kill();
        }

        try (ChildEider restarted = ChildEider.serve(dir, Map.of())) {
            Map<Long, String> stored = readAll(restarted.http());
            assertThat(stored).hasSize(200);
            assertThat(stored.get(200L)).isEqualTo("v200");
        }
    }

    /**
     * The same for large requests, which stream into a staging table of their own before the log
     * refers to them: a staged request answered 200 is there after the kill, whole.
     */
    @Test
    void killDuringStagedRequests_everyAcknowledgedRequestSurvivesWhole() throws IOException {
        Path config = Files.writeString(dir.resolve("eider.yaml"), "ingest:\n  stage_threshold: 20\n");
        Map<Integer, Integer> acknowledgedRound = new ConcurrentHashMap<>();
        AtomicInteger acked = new AtomicInteger();
        Map<String, String> env =
                EmbeddedPg.selected() ? Map.of("EIDER_DATABASE", EmbeddedPg.freshDatabase()) : Map.of();
        try (ChildEider child = ChildEider.serve(dir, env, "--config", config.toString())) {
            Thread killer = new Thread(() -> {
                try {
                    await().atMost(120, SECONDS).until(() -> acked.get() >= 100);
                } finally {
                    child.kill();
                }
            });
            killer.start();
            Clients.run(WRITERS, w -> {
                // Each request writes the writer's 50 ids with the round's number; 50 rows > 20 are staged.
                for (int round = 1; ; round++) {
                    StringBuilder body = new StringBuilder();
                    for (int i = 0; i < IDS_EACH; i++) {
                        body.append("{\"id\":")
                                .append(w * IDS_EACH + i)
                                .append(",\"value\":\"")
                                .append(round)
                                .append("\"}\n");
                    }
                    HttpResponse<String> r;
                    try {
                        r = child.http().post("/v1/tables/records/records", "application/x-ndjson", body.toString());
                    } catch (RuntimeException noAnswer) {
                        return;
                    }
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    acknowledgedRound.put(w, round);
                    acked.incrementAndGet();
                }
            });
            join(killer);
        }

        try (ChildEider restarted = ChildEider.serve(dir, env, "--config", config.toString())) {
            Map<Long, String> stored = readAll(restarted.http());
            acknowledgedRound.forEach((w, round) -> {
                // All of a writer's ids hold one round (a request is all or nothing), at least the last acknowledged.
                Set<String> rounds = new HashSet<>();
                for (int i = 0; i < IDS_EACH; i++) {
                    rounds.add(stored.get((long) w * IDS_EACH + i));
                }
                assertThat(rounds).as("writer %d", w).hasSize(1);
                String kept = rounds.iterator().next();
                assertThat(kept).as("writer %d", w).isNotNull();
                assertThat(Integer.parseInt(kept)).as("writer %d", w).isBetween(round, round + 1);
            });
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Writes to the writer's own ids, one request at a time, until a request gets no answer. */
    private static void writeUntilTheServerDies(
            Http http, int writer, Map<Long, Outcome> outcomes, AtomicInteger acked) {
        Random random = new Random(writer);
        for (int n = 0; ; n++) {
            long id = (long) writer * IDS_EACH + random.nextInt(IDS_EACH);
            String value = "w" + writer + "-" + n;
            HttpResponse<String> r;
            try {
                r = http.post("/record", "{\"id\":" + id + ",\"value\":\"" + value + "\"}");
            } catch (RuntimeException noAnswer) {
                Outcome before = outcomes.get(id);
                outcomes.put(id, new Outcome(before == null ? null : before.acknowledged(), value));
                return;
            }
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            outcomes.put(id, new Outcome(value, null));
            acked.incrementAndGet();
        }
    }

    private static Map<Long, String> readAll(Http http) {
        JsonNode page = ok(http.get("/v1/tables/records/records?limit=1000"));
        assertThat(page.path("next").isNull()).isTrue();
        Map<Long, String> stored = new HashMap<>();
        page.path("records")
                .forEach(r -> stored.put(r.path("id").asLong(), r.path("value").asText()));
        return stored;
    }
}
