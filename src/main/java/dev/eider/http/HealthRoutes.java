package dev.eider.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/** Liveness (the process answers) and readiness (the store is open and the writer is running). */
final class HealthRoutes {

    private final BooleanSupplier ready;

    HealthRoutes(BooleanSupplier ready) {
        this.ready = ready;
    }

    List<Route> routes() {
        return List.of(
                new Route("GET", "/health/live", null, ex -> status(200, "up")),
                new Route(
                        "GET",
                        "/health/ready",
                        null,
                        ex -> ready.getAsBoolean() ? status(200, "ready") : status(503, "starting")));
    }

    private static CompletableFuture<Reply> status(int code, String status) {
        return CompletableFuture.completedFuture(
                Reply.json(code, ("{\"status\":\"" + status + "\"}").getBytes(StandardCharsets.UTF_8)));
    }
}
