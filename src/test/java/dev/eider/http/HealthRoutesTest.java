package dev.eider.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eider.health.Readiness;
import dev.eider.ingest.Health;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Liveness asks ingest alone; readiness, which lists failing exports from the database, is not built for it. */
class HealthRoutesTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicInteger readinessBuilt = new AtomicInteger();
    private final Supplier<Readiness> readiness = () -> {
        readinessBuilt.incrementAndGet();
        throw new AssertionError("liveness built readiness");
    };

    @Test
    void live_ingestFailed_is503WithTheReason() throws Exception {
        Reply reply = live(new HealthRoutes(readiness, () -> new Health("failed", "the log failed"), mapper));

        assertThat(reply.status()).isEqualTo(503);
        JsonNode body = mapper.readTree(reply.body());
        assertThat(body.path("status").asText()).isEqualTo("failed");
        assertThat(body.path("detail").asText()).isEqualTo("the log failed");
    }

    @Test
    void live_ingestFailingButRetrying_isUp_withoutAskingTheDatabase() throws Exception {
        // Profiling: liveness built readiness, a database query per probe (about 1,500 answers a second).
        Reply reply = live(new HealthRoutes(readiness, () -> new Health("failing", "disk full"), mapper));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(mapper.readTree(reply.body()).path("status").asText()).isEqualTo("up");
        assertThat(readinessBuilt).hasValue(0);
    }

    private static Reply live(HealthRoutes routes) throws Exception {
        Route live = routes.routes().stream()
                .filter(r -> r.template().equals("/health/live"))
                .findFirst()
                .orElseThrow();
        return live.endpoint().handle(null).toCompletableFuture().join();
    }
}
