package dev.eider.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eider.ingest.Health;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Liveness (the process answers) and readiness (the store is open and the writer is running).
 * Readiness also carries fields about other parts, such as the export target, that do not decide
 * its status code: a service that cannot export still takes writes.
 */
final class HealthRoutes {

    private final Supplier<Health> ready;
    private final Map<String, Supplier<?>> fields;
    private final ObjectMapper mapper;

    HealthRoutes(Supplier<Health> ready, Map<String, Supplier<?>> fields, ObjectMapper mapper) {
        this.ready = ready;
        this.fields = Map.copyOf(fields);
        this.mapper = mapper;
    }

    List<Route> routes() {
        return List.of(
                new Route("GET", "/health/live", null, ex -> answer(200, "up", null, Map.of())),
                new Route("GET", "/health/ready", null, ex -> {
                    Health h = ready.get();
                    return answer(h.ready() ? 200 : 503, h.status(), h.detail(), fields);
                }));
    }

    /** {@code {"status": ...}}, with what is wrong when something is, and the extra fields. */
    private CompletableFuture<Reply> answer(int code, String status, String detail, Map<String, Supplier<?>> extra) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("status", status);
        if (detail != null) {
            body.put("detail", detail);
        }
        new TreeMap<>(extra).forEach((name, value) -> body.set(name, mapper.valueToTree(value.get())));
        return CompletableFuture.completedFuture(
                Reply.json(code, body.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
