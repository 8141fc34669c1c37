package dev.eider.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eider.ingest.Health;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Liveness (the process answers) and readiness (the store is open and the writer is running). Failing
 * exports and the export target's check show in the readiness body ({@code "exports": "failing"} and the
 * list, {@code "export_target"}) but do not make the service unready: it still takes writes, which is what
 * a load balancer asks readiness about.
 */
final class HealthRoutes {

    private final Supplier<Health> ready;
    private final Supplier<List<Map<String, Object>>> failingExports;
    private final Map<String, Supplier<?>> fields;
    private final ObjectMapper mapper;

    HealthRoutes(
            Supplier<Health> ready,
            Supplier<List<Map<String, Object>>> failingExports,
            Map<String, Supplier<?>> fields,
            ObjectMapper mapper) {
        this.ready = ready;
        this.failingExports = failingExports;
        this.fields = Map.copyOf(fields);
        this.mapper = mapper;
    }

    List<Route> routes() {
        return List.of(
                new Route(
                        "GET",
                        "/health/live",
                        null,
                        ex -> answer(200, mapper.createObjectNode().put("status", "up"))),
                new Route("GET", "/health/ready", null, ex -> readiness()));
    }

    private CompletableFuture<Reply> readiness() throws IOException {
        Health h = ready.get();
        ObjectNode body = mapper.createObjectNode().put("status", h.status());
        if (h.detail() != null) {
            body.put("detail", h.detail());
        }
        List<Map<String, Object>> failing = failingExports.get();
        body.put("exports", failing.isEmpty() ? "ok" : "failing");
        if (!failing.isEmpty()) {
            body.set("failing_exports", mapper.valueToTree(failing));
        }
        new TreeMap<>(fields).forEach((name, value) -> body.set(name, mapper.valueToTree(value.get())));
        return answer(h.ready() ? 200 : 503, body);
    }

    private CompletableFuture<Reply> answer(int code, ObjectNode body) throws IOException {
        return CompletableFuture.completedFuture(Reply.json(code, mapper.writeValueAsBytes(body)));
    }
}
