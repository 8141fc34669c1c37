package dev.eider.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eider.ingest.Health;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Liveness (the process answers) and readiness (the store is open and the writer is running). */
final class HealthRoutes {

    private final Supplier<Health> ready;

    HealthRoutes(Supplier<Health> ready) {
        this.ready = ready;
    }

    List<Route> routes() {
        return List.of(
                new Route("GET", "/health/live", null, ex -> answer(200, "up", null)),
                new Route("GET", "/health/ready", null, ex -> {
                    Health h = ready.get();
                    return answer(h.ready() ? 200 : 503, h.status(), h.detail());
                }));
    }

    /** {@code {"status": ...}}, with what is wrong when something is. */
    private static CompletableFuture<Reply> answer(int code, String status, String detail) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("status", status);
        if (detail != null) {
            body.put("detail", detail);
        }
        return CompletableFuture.completedFuture(
                Reply.json(code, body.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
