package dev.eider.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eider.config.Scope;
import dev.eider.export.ExportPlan;
import dev.eider.export.ExportService;
import dev.eider.health.Readiness;
import dev.eider.http.ClasspathResource;
import dev.eider.http.ExportView;
import dev.eider.http.Reply;
import dev.eider.http.Route;
import dev.eider.ingest.Writes;
import dev.eider.metrics.EiderMetrics;
import dev.eider.store.RecordStore;
import dev.eider.table.Catalog;
import dev.eider.table.TableDef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** The status page at {@code /} and the JSON it reads, {@code GET /v1/status}. */
public final class StatusRoutes {

    /** Exports looked at for each table's newest one: several per table even with many tables. */
    private static final int RECENT_EXPORTS = 200;

    private final Catalog catalog;
    private static final Duration VISIBLE_WAIT = Duration.ofSeconds(2);

    private final RecordStore store;
    private final Writes writes;
    private final ExportService exports;
    private final EiderMetrics metrics;
    private final Supplier<Readiness> readiness;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Instant started;
    private final byte[] page;

    public StatusRoutes(
            Catalog catalog,
            RecordStore store,
            Writes writes,
            ExportService exports,
            EiderMetrics metrics,
            Supplier<Readiness> readiness,
            ObjectMapper mapper,
            Clock clock) {
        this.catalog = catalog;
        this.store = store;
        this.writes = writes;
        this.exports = exports;
        this.metrics = metrics;
        this.readiness = readiness;
        this.mapper = mapper;
        this.clock = clock;
        this.started = clock.instant();
        this.page = ClasspathResource.read("/status/index.html");
    }

    public List<Route> routes() {
        return List.of(
                // The page holds no data; it asks /v1/status, which needs the read scope.
                new Route(
                        "GET",
                        "/",
                        null,
                        ex -> CompletableFuture.completedFuture(
                                new Reply(200, "text/html; charset=utf-8", page, Map.of()))),
                new Route("GET", "/v1/status", Scope.READ, ex -> {
                    return CompletableFuture.completedFuture(Reply.json(200, mapper.writeValueAsBytes(status())));
                }));
    }

    private Map<String, Object> status() {
        // Row counts include the caller's own writes, as every read does; bounded, since the page must
        // answer while writes cannot be applied (its checks then say why).
        writes.awaitVisible(VISIBLE_WAIT);
        Map<String, ExportPlan> newest = new HashMap<>();
        for (ExportPlan p : exports.list(RECENT_EXPORTS)) {
            newest.putIfAbsent(p.table(), p);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", version());
        m.put("started_at", started);
        m.put("now", clock.instant());
        Readiness r = readiness.get();
        m.put("ready", r.ready());
        m.put("health", r.detail() == null ? r.status() : r.status() + ": " + r.detail());
        m.put(
                "export_target",
                r.check("export_target").map(Readiness.Check::subject).orElse(null));
        m.put("checks", r.checks());
        m.put("ingest", Map.of("bucket_seconds", metrics.ingestBucket().toSeconds(), "rows", metrics.ingestRate()));
        m.put(
                "tables",
                catalog.tables().stream()
                        .map(t -> table(t, newest.get(t.name())))
                        .toList());
        return m;
    }

    private Map<String, Object> table(TableDef t, ExportPlan newest) {
        EiderMetrics.TableExports e = metrics.exports(t.name());
        List<ExportPlan> chain = exports.chain(t.name());
        Map<String, Object> export = new LinkedHashMap<>();
        export.put(
                "exported_through",
                chain.isEmpty() ? 0 : chain.get(chain.size() - 1).toSeq());
        export.put("last_success_at", e.lastSuccess().orElse(null));
        export.put("freshness_seconds", e.freshnessSeconds());
        export.put("failures_since_start", e.failures());
        export.put("latest", newest == null ? null : ExportView.of(newest, exports.progress(newest.id())));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("rows", store.count(t));
        m.put("last_sequence", store.lastSequence(t));
        m.put("export", export);
        return m;
    }

    private static String version() {
        String v = StatusRoutes.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }
}
