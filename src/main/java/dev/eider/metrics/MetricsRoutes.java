package dev.eider.metrics;

import dev.eider.config.Scope;
import dev.eider.http.Reply;
import dev.eider.http.Route;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@code GET /metrics}: every meter in Prometheus text format. */
public final class MetricsRoutes {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final EiderMetrics metrics;

    public MetricsRoutes(EiderMetrics metrics) {
        this.metrics = metrics;
    }

    public List<Route> routes() {
        return List.of(new Route(
                "GET",
                "/metrics",
                Scope.READ,
                ex -> CompletableFuture.completedFuture(Reply.text(200, PROMETHEUS_TEXT, metrics.scrape()))));
    }
}
