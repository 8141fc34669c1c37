package dev.eider.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Liveness (the process answers) and readiness (the store is open and the writer is running). Failing
 * exports show in the readiness body ({@code "exports": "failing"} and the list) but do not make the
 * service unready: it still takes writes, which is what a load balancer asks readiness about.
 */
final class HealthRoutes {

    private final BooleanSupplier ready;
    private final Supplier<List<Map<String, Object>>> failingExports;
    private final ObjectMapper mapper;

    HealthRoutes(BooleanSupplier ready, Supplier<List<Map<String, Object>>> failingExports, ObjectMapper mapper) {
        this.ready = ready;
        this.failingExports = failingExports;
        this.mapper = mapper;
    }

    List<Route> routes() {
        return List.of(
                new Route("GET", "/health/live", null, ex -> status(200, Map.of("status", "up"))),
                new Route("GET", "/health/ready", null, ex -> readiness()));
    }

    private CompletableFuture<Reply> readiness() throws IOException {
        boolean up = ready.getAsBoolean();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "ready" : "starting");
        List<Map<String, Object>> failing = failingExports.get();
        body.put("exports", failing.isEmpty() ? "ok" : "failing");
        if (!failing.isEmpty()) {
            body.put("failing_exports", failing);
        }
        return status(up ? 200 : 503, body);
    }

    private CompletableFuture<Reply> status(int code, Map<String, Object> body) throws IOException {
        return CompletableFuture.completedFuture(Reply.json(code, mapper.writeValueAsBytes(body)));
    }
}
