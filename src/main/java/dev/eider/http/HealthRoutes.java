package dev.eider.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eider.health.Readiness;
import dev.eider.ingest.Health;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Liveness (the process answers) and readiness ({@link Readiness}: 503 while a required check, ingest,
 * is not ok). The body lists every check under {@code "checks"}; the older fields ({@code "exports"},
 * {@code "failing_exports"}, {@code "export_target"}) are drawn from the same checks.
 */
final class HealthRoutes {

    /** Ingest's status when only a restart mends it. */
    private final Supplier<Readiness> readiness;

    private final Supplier<Health> ingest;
    private final ObjectMapper mapper;

    /**
     * @param ingest ingest's own health, which alone decides liveness: readiness also lists the failing
     *     exports from the database, a query per probe that held liveness to about 1,500 answers a second
     */
    HealthRoutes(Supplier<Readiness> readiness, Supplier<Health> ingest, ObjectMapper mapper) {
        this.readiness = readiness;
        this.ingest = ingest;
        this.mapper = mapper;
    }

    List<Route> routes() {
        return List.of(
                new Route("GET", "/health/live", null, ex -> liveness()),
                new Route("GET", "/health/ready", null, ex -> readiness()));
    }

    /**
     * Up, unless ingest has failed in a way only a restart mends (the write-ahead log failed, or the database
     * stopped after a fatal error): then 503, so that a supervisor restarts the process.
     */
    private CompletableFuture<Reply> liveness() throws IOException {
        Health health = ingest.get();
        if (health.failed()) {
            return answer(
                    503, mapper.createObjectNode().put("status", Health.FAILED).put("detail", health.detail()));
        }
        return answer(200, mapper.createObjectNode().put("status", "up"));
    }

    private CompletableFuture<Reply> readiness() throws IOException {
        Readiness r = readiness.get();
        ObjectNode body = mapper.createObjectNode().put("status", r.status());
        if (r.detail() != null) {
            body.put("detail", r.detail());
        }
        r.check("exports").ifPresent(exports -> {
            body.put("exports", exports.status());
            if (!exports.failures().isEmpty()) {
                body.set("failing_exports", mapper.valueToTree(exports.failures()));
            }
        });
        r.check("export_target").ifPresent(target -> {
            ObjectNode t = body.putObject("export_target").put("target", target.subject());
            if (target.status().equals(Readiness.PENDING)) {
                t.putNull("ok");
            } else {
                t.put("ok", target.ok());
            }
            if (!target.ok() && !target.status().equals(Readiness.PENDING)) {
                t.put("error", target.detail());
            }
        });
        body.set("checks", mapper.valueToTree(r.checks()));
        return answer(r.ready() ? 200 : 503, body);
    }

    private CompletableFuture<Reply> answer(int code, ObjectNode body) throws IOException {
        return CompletableFuture.completedFuture(Reply.json(code, mapper.writeValueAsBytes(body)));
    }
}
