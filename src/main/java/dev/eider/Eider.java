package dev.eider;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eider.config.EiderConfig;
import dev.eider.export.ExportListener;
import dev.eider.export.ExportRoutes;
import dev.eider.export.ExportService;
import dev.eider.export.ExportTarget;
import dev.eider.export.ExportTargets;
import dev.eider.export.PauseHook;
import dev.eider.http.Authenticator;
import dev.eider.http.HttpApi;
import dev.eider.http.HttpServer;
import dev.eider.http.Json;
import dev.eider.http.ProblemMapper;
import dev.eider.http.Route;
import dev.eider.http.Router;
import dev.eider.ingest.CommitListener;
import dev.eider.ingest.WriteQueue;
import dev.eider.metrics.EiderMetrics;
import dev.eider.metrics.MetricsRoutes;
import dev.eider.status.StatusRoutes;
import dev.eider.store.DuckDbExportStore;
import dev.eider.store.DuckDbStore;
import dev.eider.store.ExportPlan;
import dev.eider.table.Catalog;
import dev.eider.table.TableDef;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running Eider service: the one place where the parts are built and wired together. */
public final class Eider implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Eider.class);

    private final DuckDbStore store;
    private final WriteQueue queue;
    private final HttpServer http;
    private final ExportService exports;
    private final ExportTarget target;
    private final Router router;
    private final EiderMetrics metrics;

    private Eider(
            DuckDbStore store,
            WriteQueue queue,
            HttpServer http,
            ExportService exports,
            ExportTarget target,
            Router router,
            EiderMetrics metrics) {
        this.metrics = metrics;
        this.store = store;
        this.queue = queue;
        this.http = http;
        this.exports = exports;
        this.target = target;
        this.router = router;
    }

    /** Opens the store, starts the writer and the HTTP server; returns once requests are served. */
    public static Eider start(EiderConfig config) throws Exception {
        long started = System.nanoTime();
        Catalog catalog = new Catalog(config.tables());
        ObjectMapper mapper = Json.mapper(
                config.server().maxDepth(), config.server().maxValue().bytes());
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        Clock clock = Clock.systemUTC();
        EiderMetrics metrics = new EiderMetrics(clock);
        opened.push(metrics);
        DuckDbStore store;
        WriteQueue queue;
        HttpServer http;
        ExportService exports;
        ExportTarget target;
        Router router;
        try {
            store = opened(opened, DuckDbStore.open(config.store(), catalog));
            queue = opened(opened, openQueue(config, store, catalog, metrics));
            target = opened(
                    opened,
                    ExportTargets.open(config.export().target(), config.export().s3()));
            exports = opened(opened, exportService(config, store, catalog, target, queue, metrics));
            measure(metrics, config, catalog, store, queue, exports);
            List<Route> more = new ArrayList<>(new ExportRoutes(exports, catalog, mapper).routes());
            more.addAll(new MetricsRoutes(metrics).routes());
            more.addAll(
                    new StatusRoutes(catalog, store, exports, metrics, target.describe(), queue::healthy, mapper, clock)
                            .routes());
            router = HttpApi.router(
                    config, catalog, store, queue, mapper, queue::health, ExportRoutes.failing(exports), more);
            http = opened(
                    opened,
                    new HttpServer(
                            config.server(),
                            router,
                            new Authenticator(config.server().tokens()),
                            new ProblemMapper(mapper),
                            metrics));
            http.start();
            exports.start();
        } catch (Exception | Error e) {
            // Whatever did open must not keep the JVM alive (the writer threads are not daemons).
            for (AutoCloseable c : opened) {
                try {
                    c.close();
                } catch (Exception closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
        log.info(
                "event=started host={} port={} data={} tables={} auth={} last_sequence={} startup_ms={}",
                config.server().host(),
                http.port(),
                config.store().dataFile(),
                catalog.tables().size(),
                config.server().authEnabled(),
                store.lastSequence(),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        return new Eider(store, queue, http, exports, target, router, metrics);
    }

    private static <T extends AutoCloseable> T opened(Deque<AutoCloseable> opened, T resource) {
        opened.push(resource);
        return resource;
    }

    /** The export service on an open store and its write queue (the service's, or {@code eider export}'s own). */
    public static ExportService exportService(
            EiderConfig config, DuckDbStore store, Catalog catalog, ExportTarget target, WriteQueue queue) {
        return exportService(config, store, catalog, target, queue, ExportListener.NONE);
    }

    private static ExportService exportService(
            EiderConfig config,
            DuckDbStore store,
            Catalog catalog,
            ExportTarget target,
            WriteQueue queue,
            ExportListener listener) {
        return new ExportService(
                new DuckDbExportStore(store, catalog),
                catalog,
                config.export(),
                target,
                Clock.systemUTC(),
                PauseHook.fromEnvironment(),
                queue::awaitVisible,
                listener);
    }

    /** Starts the meters that read state: queue, storage, and each table's export state as of now. */
    private static void measure(
            EiderMetrics metrics,
            EiderConfig config,
            Catalog catalog,
            DuckDbStore store,
            WriteQueue queue,
            ExportService exports) {
        metrics.queue(queue);
        metrics.storage(config.store().dataFile(), logDir(config));
        for (TableDef t : catalog.tables()) {
            List<ExportPlan> chain = exports.chain(t.name());
            Optional<ExportPlan> last = chain.isEmpty() ? Optional.empty() : Optional.of(chain.get(chain.size() - 1));
            metrics.table(
                    t.name(),
                    last.map(ExportPlan::finishedAt),
                    last.map(ExportPlan::toSeq).orElse(0L),
                    store.lastSequence(t));
        }
    }

    /** Opens the write queue of a store, replaying its write-ahead log into the store first. */
    public static WriteQueue openQueue(EiderConfig config, DuckDbStore store, Catalog catalog) {
        return openQueue(config, store, catalog, CommitListener.NONE);
    }

    private static WriteQueue openQueue(
            EiderConfig config, DuckDbStore store, Catalog catalog, CommitListener listener) {
        return WriteQueue.open(store, catalog, config.ingest(), logDir(config), listener);
    }

    private static Path logDir(EiderConfig config) {
        return Path.of(config.store().dataFile() + ".eider-log");
    }

    /** Every route the service answers. */
    public Router router() {
        return router;
    }

    public int port() {
        return http.port();
    }

    /**
     * Stops taking requests (answering those in flight), commits what is queued, and closes the
     * database. Every part is closed even when one fails; the failures are thrown together.
     */
    @Override
    public void close() {
        RuntimeException failed = null;
        for (AutoCloseable part : new AutoCloseable[] {http, exports, target, queue, store, metrics}) {
            try {
                part.close();
            } catch (Exception e) {
                if (failed == null) {
                    failed = new IllegalStateException("Eider did not stop cleanly: " + e.getMessage(), e);
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
        log.info("event=stopped");
    }
}
