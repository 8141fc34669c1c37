package dev.eider;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eider.config.DataSize;
import dev.eider.config.EiderConfig;
import dev.eider.config.FilesConfig;
import dev.eider.config.StoreConfig;
import dev.eider.export.ExportListener;
import dev.eider.export.ExportPlan;
import dev.eider.export.ExportService;
import dev.eider.export.ExportStore;
import dev.eider.export.ExportTarget;
import dev.eider.export.ExportTargets;
import dev.eider.export.PauseHook;
import dev.eider.export.TargetStatus;
import dev.eider.files.FileCounters;
import dev.eider.files.FileJanitor;
import dev.eider.files.FileObjects;
import dev.eider.files.FileService;
import dev.eider.files.FileTargets;
import dev.eider.files.SpoolFolder;
import dev.eider.health.ReadinessChecks;
import dev.eider.http.Authenticator;
import dev.eider.http.ExportRoutes;
import dev.eider.http.HttpApi;
import dev.eider.http.HttpServer;
import dev.eider.http.Json;
import dev.eider.http.ProblemMapper;
import dev.eider.http.Route;
import dev.eider.http.Router;
import dev.eider.ingest.CommitListener;
import dev.eider.ingest.RefusedWrites;
import dev.eider.ingest.WriteQueue;
import dev.eider.ingest.Writes;
import dev.eider.metrics.EiderMetrics;
import dev.eider.metrics.MetricsRoutes;
import dev.eider.status.StatusRoutes;
import dev.eider.table.Catalog;
import dev.eider.table.TableDef;
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

    private final Storage storage;
    private final Writes queue;
    private final HttpServer http;
    private final ExportService exports;
    private final ExportTarget target;
    private final TargetStatus targetStatus;
    private final Router router;
    private final EiderMetrics metrics;
    private final FileObjects fileObjects;
    private final FileJanitor janitor;
    private final SpoolFolder spool;
    private final FileCounters fileCounters;
    private final Catalog catalog;
    private final FilesConfig filesConfig;

    private Eider(
            Storage storage,
            Writes queue,
            HttpServer http,
            ExportService exports,
            ExportTarget target,
            TargetStatus targetStatus,
            Router router,
            EiderMetrics metrics,
            Files files) {
        this.targetStatus = targetStatus;
        this.metrics = metrics;
        this.fileObjects = files.objects();
        this.janitor = files.janitor();
        this.spool = files.spool();
        this.fileCounters = files.counters();
        this.catalog = files.catalog();
        this.filesConfig = files.config();
        this.storage = storage;
        this.queue = queue;
        this.http = http;
        this.exports = exports;
        this.target = target;
        this.router = router;
    }

    /**
     * Refuses a configuration whose target URIs name neither a bucket nor a folder: checked before anything is
     * opened, so that a bad setting changes no file (a trial's {@code --export-target ftp://x} created the database
     * and replayed its log first).
     *
     * @throws dev.eider.config.ConfigException naming the setting
     */
    public static void checkTargets(EiderConfig config) {
        ExportTargets.locate("export.target", config.export().target());
        ExportTargets.locate("files.target", config.files().target());
    }

    /** Opens the store, starts the writer and the HTTP server; returns once requests are served. */
    public static Eider start(EiderConfig config) throws Exception {
        long started = System.nanoTime();
        checkTargets(config);
        warnOfLargeValues(config);
        Catalog catalog = new Catalog(config.tables());
        ObjectMapper mapper = Json.mapper(
                config.server().maxDepth(), config.server().maxValue().bytes());
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        Clock clock = Clock.systemUTC();
        EiderMetrics metrics = new EiderMetrics(clock);
        opened.push(metrics);
        Storage storage;
        Writes queue;
        HttpServer http;
        ExportService exports;
        ExportTarget target;
        TargetStatus targetStatus;
        Router router;
        Files files;
        try {
            storage = opened(opened, Storage.open(config.store(), catalog));
            queue = opened(opened, openQueue(config, storage, catalog, metrics));
            target = opened(
                    opened,
                    ExportTargets.open(config.export().target(), config.export().s3()));
            exports = opened(opened, exportService(config, storage.exports(), catalog, target, queue, metrics));
            measure(metrics, config, catalog, storage, queue, exports);
            files = openFiles(opened, config, catalog, storage, queue);
            metrics.files(files.counters());
            List<Route> more = new ArrayList<>(new ExportRoutes(exports, catalog, mapper).routes());
            more.addAll(new MetricsRoutes(metrics).routes());
            targetStatus =
                    opened(opened, TargetStatus.start(target, config.export().workDir()));
            ReadinessChecks readiness =
                    new ReadinessChecks(config.store().describe(), queue::health, exports::failing, targetStatus);
            more.addAll(new StatusRoutes(catalog, storage.records(), queue, exports, metrics, readiness, mapper, clock)
                    .routes());
            router =
                    HttpApi.router(config, catalog, storage.records(), queue, mapper, readiness, files.service(), more);
            http = opened(
                    opened,
                    new HttpServer(
                            config.server(),
                            router,
                            new Authenticator(config.server().tokens()),
                            new ProblemMapper(mapper),
                            metrics));
            http.start();
            if (config.role().runsExports()) {
                exports.start();
            }
            files.janitor().start();
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
        log.atInfo()
                .addKeyValue("event", "started")
                .addKeyValue("host", config.server().host())
                .addKeyValue("port", http.port())
                .addKeyValue("database", config.store().describe())
                .addKeyValue("tables", catalog.tables().size())
                .addKeyValue("auth", config.server().authEnabled())
                .addKeyValue("last_sequence", storage.records().lastSequence())
                .addKeyValue(
                        "startup_ms",
                        Duration.ofNanos(System.nanoTime() - started).toMillis())
                .log("serving requests");
        return new Eider(storage, queue, http, exports, target, targetStatus, router, metrics, files);
    }

    /**
     * Raising server.max_value or server.max_body past what DuckDB's memory holds is allowed, and said loudly
     * at every start.
     */
    private static void warnOfLargeValues(EiderConfig config) {
        DataSize maxBody = config.server().maxBody();
        config.store()
                .bodySizeRisk(maxBody)
                .ifPresent(risk -> log.atWarn()
                        .addKeyValue("event", "max_body_over_duckdb_limit")
                        .addKeyValue("max_body", maxBody)
                        .log(risk));
        DataSize maxValue = config.server().maxValue();
        config.store()
                .valueSizeRisk(maxValue)
                .ifPresent(risk -> log.atWarn()
                        .addKeyValue("event", "max_value_over_duckdb_limit")
                        .addKeyValue("max_value", maxValue)
                        .addKeyValue("memory", config.store().valueMemory())
                        .log(risk));
    }

    /** The files part, wired: where objects go, the service the routes call, and the janitor. */
    private record Files(
            FileObjects objects,
            FileService service,
            FileJanitor janitor,
            FileCounters counters,
            Catalog catalog,
            FilesConfig config,
            SpoolFolder spool) {}

    private static Files openFiles(
            Deque<AutoCloseable> opened, EiderConfig config, Catalog catalog, Storage storage, Writes queue) {
        FileCounters counters = new FileCounters();
        PauseHook hook = PauseHook.fromEnvironment(PauseHook.FILES);
        FileObjects objects = opened(opened, FileTargets.open(config.files(), hook));
        SpoolFolder spool = opened(opened, SpoolFolder.create(config.files().workDir()));
        FileJanitor janitor = opened(
                opened,
                new FileJanitor(
                        storage.files(),
                        objects,
                        config.files(),
                        Clock.systemUTC(),
                        counters,
                        queue::awaitVisible,
                        storage.exports()::databaseId,
                        FileJanitor.LIST_PAGE,
                        hasFileColumns(catalog)));
        FileService service = new FileService(
                storage.records(), queue, objects, config.files(), spool.path(), Clock.systemUTC(), hook, counters);
        return new Files(objects, service, janitor, counters, catalog, config.files(), spool);
    }

    private static <T extends AutoCloseable> T opened(Deque<AutoCloseable> opened, T resource) {
        opened.push(resource);
        return resource;
    }

    /** The export service on an open store and its write queue (the service's, or {@code eider export}'s own). */
    public static ExportService exportService(
            EiderConfig config, ExportStore store, Catalog catalog, ExportTarget target, Writes queue) {
        return exportService(config, store, catalog, target, queue, ExportListener.NONE);
    }

    private static ExportService exportService(
            EiderConfig config,
            ExportStore store,
            Catalog catalog,
            ExportTarget target,
            Writes queue,
            ExportListener listener) {
        return new ExportService(
                store,
                catalog,
                config.export(),
                target,
                Clock.systemUTC(),
                PauseHook.fromEnvironment(PauseHook.EXPORTS),
                queue::awaitVisible,
                listener);
    }

    /** Starts the meters that read state: queue, storage, and each table's export state as of now. */
    private static void measure(
            EiderMetrics metrics,
            EiderConfig config,
            Catalog catalog,
            Storage storage,
            Writes queue,
            ExportService exports) {
        if (queue instanceof WriteQueue log) {
            metrics.queue(log);
        }
        if (config.store() instanceof StoreConfig.DuckDb duckDb) {
            metrics.storage(duckDb.dataFile(), storage.logDirectory());
        }
        for (TableDef t : catalog.tables()) {
            List<ExportPlan> chain = exports.chain(t.name());
            Optional<ExportPlan> last = chain.isEmpty() ? Optional.empty() : Optional.of(chain.get(chain.size() - 1));
            metrics.table(
                    t.name(),
                    last.map(ExportPlan::finishedAt),
                    last.map(ExportPlan::toSeq).orElse(0L),
                    storage.records().lastSequence(t));
        }
    }

    /**
     * Opens the way writes reach the store (replaying DuckDB's write-ahead log into it first); an
     * instance with role {@code export} refuses writes.
     */
    public static Writes openQueue(EiderConfig config, Storage storage, Catalog catalog) {
        return openQueue(config, storage, catalog, CommitListener.NONE);
    }

    private static Writes openQueue(EiderConfig config, Storage storage, Catalog catalog, CommitListener listener) {
        Writes writes = storage.openWrites(catalog, config.ingest(), listener);
        return config.role().takesWrites()
                ? writes
                : new RefusedWrites(writes, config.ingest().retryAfter());
    }

    /** Every route the service answers. */
    public Router router() {
        return router;
    }

    /** Where record files are kept (for {@code eider check} to probe). */
    public FileObjects fileObjects() {
        return fileObjects;
    }

    /** What the files part has done since start (bytes uploaded, orphans swept), for metrics. */
    public FileCounters fileCounters() {
        return fileCounters;
    }

    /** Another outbox worker and sweeper on this service's parts, with its own clock, not scheduled (tests). */
    public FileJanitor fileJanitor(Clock clock) {
        return fileJanitor(clock, FileJanitor.LIST_PAGE);
    }

    /** The same, reading the files target's listing {@code listPage} objects at a time (tests). */
    public FileJanitor fileJanitor(Clock clock, int listPage) {
        return new FileJanitor(
                storage.files(),
                fileObjects,
                filesConfig,
                clock,
                fileCounters,
                queue::awaitVisible,
                storage.exports()::databaseId,
                listPage,
                hasFileColumns(catalog));
    }

    private static boolean hasFileColumns(Catalog catalog) {
        return catalog.tables().stream()
                .flatMap(t -> t.columns().stream())
                .anyMatch(c -> c.type().kind() == dev.eider.table.ColumnType.Kind.FILE);
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
        for (AutoCloseable part : new AutoCloseable[] {
            http, spool, targetStatus, janitor, exports, target, fileObjects, queue, storage, metrics
        }) {
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
        log.atInfo().addKeyValue("event", "stopped").log("stopped");
    }
}
