package dev.eider.metrics;

import dev.eider.export.ExportListener;
import dev.eider.export.ExportPlan;
import dev.eider.files.FileCounters;
import dev.eider.http.RequestListener;
import dev.eider.ingest.CommitListener;
import dev.eider.ingest.WriteQueue;
import dev.eider.store.WriteBatch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Eider's meters in one Micrometer registry scraped as Prometheus text: the write path, exports per
 * table, storage size, and the JVM. The parts report through small listener calls; this class alone
 * knows meter names.
 */
public final class EiderMetrics implements CommitListener, ExportListener, RequestListener, AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Clock clock;
    private final Timer commit;
    private final DistributionSummary batchRequests;
    private final Map<String, TableMeters> tables = new ConcurrentHashMap<>();
    private final Map<RequestKey, RequestMeters> requests = new ConcurrentHashMap<>();
    private final IngestRate ingest = new IngestRate(Duration.ofSeconds(10), 90);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public EiderMetrics(Clock clock) {
        this.clock = clock;
        commit = Timer.builder("eider.commit")
                .description("Group commit: appending a batch to the write-ahead log and syncing it")
                .publishPercentileHistogram()
                .register(registry);
        batchRequests = DistributionSummary.builder("eider.commit.batch.requests")
                .description("Requests acknowledged by one group commit")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /** Meters for a declared table, with its export state as of the start. */
    public void table(String table, Optional<Instant> lastSuccess, long exportedThrough, long lastSequence) {
        TableMeters t = meters(table);
        lastSuccess.ifPresent(at -> t.lastSuccess = at);
        if (lastSequence > exportedThrough) {
            // When these were acknowledged is not recorded: the start is the latest it can have been.
            t.freshness.committed(exportedThrough + 1, lastSequence, clock.instant());
        }
    }

    public void queue(WriteQueue queue) {
        Gauge.builder("eider.write.queue.depth", queue, WriteQueue::depth)
                .description("Requests waiting for the write-ahead log writer")
                .register(registry);
        Gauge.builder("eider.apply.lag.rows", queue, WriteQueue::applyLag)
                .description("Acknowledged rows not yet applied to the database")
                .register(registry);
    }

    /** Record files: bytes and files uploaded, objects deleted after replaces, orphans swept, missing objects. */
    public void files(FileCounters files) {
        FunctionCounter.builder("eider.files.uploaded.bytes", files, FileCounters::bytesUploaded)
                .description("Bytes of record files stored in the files target")
                .register(registry);
        FunctionCounter.builder("eider.files.uploaded", files, FileCounters::filesUploaded)
                .description("Record files stored in the files target")
                .register(registry);
        FunctionCounter.builder("eider.files.deleted", files, FileCounters::objectsDeleted)
                .description("Objects of replaced or deleted files removed after their grace period")
                .register(registry);
        FunctionCounter.builder("eider.files.orphans.swept", files, FileCounters::orphansSwept)
                .description("Objects no record named, removed by the sweeper")
                .register(registry);
        FunctionCounter.builder("eider.files.missing", files, FileCounters::missingObjects)
                .description("References found naming a missing object, summed over sweeps (reported only)")
                .register(registry);
    }

    /** Storage size: the database file (with its own WAL) and Eider's write-ahead log folder. */
    public void storage(Path dataFile, Path logDir) {
        StorageSize size = new StorageSize(dataFile, logDir);
        // Nothing else holds `size`, and Micrometer holds gauge state weakly: hold it strongly.
        Gauge.builder("eider.storage.bytes", size, StorageSize::database)
                .strongReference(true)
                .description("Bytes on disk")
                .tag("part", "database")
                .register(registry);
        Gauge.builder("eider.storage.bytes", size, StorageSize::log)
                .strongReference(true)
                .description("Bytes on disk")
                .tag("part", "log")
                .register(registry);
    }

    @Override
    public void committed(List<WriteBatch.Sequenced> parts, Duration logWrite) {
        commit.record(logWrite);
        batchRequests.record(parts.size());
        Instant now = clock.instant();
        Map<String, long[]> byTable = new HashMap<>(4);
        for (WriteBatch.Sequenced s : parts) {
            long last = s.firstSequence() + s.part().size() - 1;
            long[] range = byTable.computeIfAbsent(table(s.part()), k -> new long[] {s.firstSequence(), last, 0});
            range[1] = last;
            range[2] += s.part().size();
        }
        long rows = 0;
        for (Map.Entry<String, long[]> e : byTable.entrySet()) {
            TableMeters t = meters(e.getKey());
            t.written.increment(e.getValue()[2]);
            t.freshness.committed(e.getValue()[0], e.getValue()[1], now);
            rows += e.getValue()[2];
        }
        ingest.add(rows, now);
    }

    /** A request writes one table: its first row names it. */
    private static String table(WriteBatch.Part part) {
        if (part instanceof WriteBatch.Rows rows) {
            return rows.mutations().get(0).table().name();
        }
        if (part instanceof WriteBatch.Files files) {
            return files.table().name();
        }
        return ((WriteBatch.Staged) part).rows().table().name();
    }

    @Override
    public void succeeded(ExportPlan plan, Duration took) {
        TableMeters t = meters(plan.table());
        t.lastSuccess = clock.instant();
        t.freshness.exported(plan.toSeq());
        t.rows.increment(plan.rows());
        t.bytes.increment(plan.bytes());
        t.duration(registry, "succeeded").record(took);
    }

    @Override
    public void failed(ExportPlan plan, String error, Duration took) {
        TableMeters t = meters(plan.table());
        t.failures.increment();
        t.duration(registry, "failed").record(took);
    }

    @Override
    public void answered(String method, String route, int status, Duration took) {
        // Looked up once per (method, route, status): building meter ids on every request costs more
        // than counting it, on the path every request takes.
        RequestMeters m = requests.computeIfAbsent(
                new RequestKey(KNOWN_METHODS.contains(method) ? method : "other", route, status),
                k -> new RequestMeters(registry, k));
        m.count.increment();
        m.latency.record(took.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Methods counted by name. Any other is counted as {@code other}: a client may send any token as a
     * method, and each would otherwise add series to {@code /metrics} for good (a new-user trial grew it to 1.6MB).
     */
    private static final Set<String> KNOWN_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT");

    private record RequestKey(String method, String route, int status) {}

    private record RequestMeters(Counter count, Timer latency) {

        RequestMeters(MeterRegistry registry, RequestKey k) {
            this(
                    registry.counter(
                            "eider.requests",
                            "route",
                            k.route(),
                            "method",
                            k.method(),
                            "status",
                            Integer.toString(k.status())),
                    Timer.builder("http.server.requests")
                            .tags("method", k.method(), "uri", k.route(), "status", Integer.toString(k.status()))
                            .publishPercentileHistogram()
                            .register(registry));
        }
    }

    /** The export state of a table as the status page shows it. */
    public record TableExports(Optional<Instant> lastSuccess, double freshnessSeconds, long failures) {}

    public TableExports exports(String table) {
        TableMeters t = meters(table);
        return new TableExports(
                Optional.ofNullable(t.lastSuccess), t.freshness.ageSeconds(clock.instant()), (long) t.failures.count());
    }

    /** Rows written per bucket over the last minutes, oldest first. */
    public List<Long> ingestRate() {
        return ingest.last(clock.instant());
    }

    public Duration ingestBucket() {
        return ingest.width();
    }

    /** Every meter in Prometheus text format (0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    private TableMeters meters(String table) {
        return tables.computeIfAbsent(table, name -> new TableMeters(name, registry, clock));
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
