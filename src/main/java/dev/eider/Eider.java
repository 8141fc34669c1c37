package dev.eider;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eider.config.EiderConfig;
import dev.eider.config.FilesConfig;
import dev.eider.export.ExportRoutes;
import dev.eider.export.ExportService;
import dev.eider.export.ExportTarget;
import dev.eider.export.ExportTargets;
import dev.eider.export.PauseHook;
import dev.eider.files.FileCounters;
import dev.eider.files.FileJanitor;
import dev.eider.files.FileObjects;
import dev.eider.files.FilePauseHook;
import dev.eider.files.FileService;
import dev.eider.files.FileTargets;
import dev.eider.http.Authenticator;
import dev.eider.http.HttpApi;
import dev.eider.http.HttpServer;
import dev.eider.http.Json;
import dev.eider.http.ProblemMapper;
import dev.eider.http.Router;
import dev.eider.ingest.WriteQueue;
import dev.eider.store.DuckDbExportStore;
import dev.eider.store.DuckDbFileReferences;
import dev.eider.store.DuckDbStore;
import dev.eider.table.Catalog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
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
    private final FileObjects fileObjects;
    private final FileJanitor janitor;
    private final FileCounters fileCounters;
    private final Catalog catalog;
    private final FilesConfig filesConfig;

    private Eider(
            DuckDbStore store,
            WriteQueue queue,
            HttpServer http,
            ExportService exports,
            ExportTarget target,
            Router router,
            FileObjects fileObjects,
            FileJanitor janitor,
            FileCounters fileCounters,
            Catalog catalog,
            FilesConfig filesConfig) {
        this.fileObjects = fileObjects;
        this.catalog = catalog;
        this.filesConfig = filesConfig;
        this.janitor = janitor;
        this.fileCounters = fileCounters;
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
        DuckDbStore store;
        WriteQueue queue;
        HttpServer http;
        ExportService exports;
        ExportTarget target;
        Router router;
        FileObjects fileObjects;
        FileJanitor janitor;
        FileCounters fileCounters = new FileCounters();
        try {
            store = opened(opened, DuckDbStore.open(config.store(), catalog));
            queue = opened(opened, openQueue(config, store, catalog));
            target = opened(
                    opened,
                    ExportTargets.open(config.export().target(), config.export().s3()));
            exports = opened(opened, exportService(config, store, catalog, target, queue));
            FilePauseHook hook = FilePauseHook.fromEnvironment();
            fileObjects = opened(opened, FileTargets.open(config.files(), hook));
            janitor = opened(
                    opened,
                    new FileJanitor(
                            new DuckDbFileReferences(store, catalog),
                            fileObjects,
                            config.files(),
                            Clock.systemUTC(),
                            fileCounters,
                            queue::awaitVisible));
            FileService files =
                    new FileService(store, queue, fileObjects, config.files(), Clock.systemUTC(), hook, fileCounters);
            router = HttpApi.router(
                    config,
                    catalog,
                    store,
                    queue,
                    mapper,
                    queue::health,
                    files,
                    new ExportRoutes(exports, catalog, mapper).routes());
            http = opened(
                    opened,
                    new HttpServer(
                            config.server(),
                            router,
                            new Authenticator(config.server().tokens()),
                            new ProblemMapper(mapper)));
            http.start();
            exports.start();
            janitor.start();
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
        return new Eider(
                store,
                queue,
                http,
                exports,
                target,
                router,
                fileObjects,
                janitor,
                fileCounters,
                catalog,
                config.files());
    }

    private static <T extends AutoCloseable> T opened(Deque<AutoCloseable> opened, T resource) {
        opened.push(resource);
        return resource;
    }

    /** The export service on an open store and its write queue (the service's, or {@code eider export}'s own). */
    public static ExportService exportService(
            EiderConfig config, DuckDbStore store, Catalog catalog, ExportTarget target, WriteQueue queue) {
        return new ExportService(
                new DuckDbExportStore(store, catalog),
                catalog,
                config.export(),
                target,
                Clock.systemUTC(),
                PauseHook.fromEnvironment(),
                queue::awaitVisible);
    }

    /** Opens the write queue of a store, replaying its write-ahead log into the store first. */
    public static WriteQueue openQueue(EiderConfig config, DuckDbStore store, Catalog catalog) {
        return WriteQueue.open(
                store, catalog, config.ingest(), Path.of(config.store().dataFile() + ".eider-log"));
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
        return new FileJanitor(
                new DuckDbFileReferences(store, catalog),
                fileObjects,
                filesConfig,
                clock,
                fileCounters,
                queue::awaitVisible);
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
        for (AutoCloseable part : new AutoCloseable[] {http, janitor, exports, target, fileObjects, queue, store}) {
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
