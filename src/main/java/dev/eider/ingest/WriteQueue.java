package dev.eider.ingest;

import dev.eider.config.IngestConfig;
import dev.eider.store.RecordStore;
import dev.eider.store.WriteBatch;
import dev.eider.table.Catalog;
import dev.eider.table.Excerpt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit. Requests wait in a bounded queue; one thread takes everything waiting, gives it
 * sequences, appends it to the write-ahead log with a single fdatasync and acknowledges every
 * request in it. The {@link Applier} then writes the rows to the store in large transactions. A
 * full queue, or rows past the {@link MemoryBudget}, refuse new requests (503) rather than growing
 * without bound.
 */
public final class WriteQueue implements Writes {

    private static final Logger log = LoggerFactory.getLogger(WriteQueue.class);
    private static final long SEGMENT_BYTES = 64L << 20;
    private static final Duration READ_WAIT = Duration.ofSeconds(30);
    /** Two of the applier's retries: enough to see a failure that mends itself. */
    private static final Duration FAILING_READ_WAIT = Duration.ofSeconds(2);

    private final IngestConfig config;
    private final WriteAheadLog wal;
    private final PartEncoder encoder;
    private final Applier applier;
    private final MemoryBudget budget;
    private final Fatal fatal;
    private final Duration closeWait;
    private final Admission admission;
    private final Thread writer;
    private final CommitListener listener;
    private long nextSequence;
    private volatile long acknowledged;
    private volatile Throwable failure;

    /**
     * What tests may replace (package-private, no reflection): the encoder, the log, what a fatal
     * error does, the rows the applier may have waiting, and how long closing waits for a thread.
     */
    record Seams(
            Function<LogCodec, PartEncoder> encoder,
            Function<Path, WriteAheadLog> log,
            Fatal fatal,
            int pendingRows,
            Duration closeWait) {

        static Seams defaults(IngestConfig config) {
            return new Seams(
                    codec -> codec::encodePart,
                    dir -> new WriteAheadLog(dir, SEGMENT_BYTES),
                    Fatal.HALT,
                    WriteQueue.pendingRows(config),
                    Duration.ofSeconds(10));
        }
    }

    private WriteQueue(
            IngestConfig config,
            WriteAheadLog wal,
            PartEncoder encoder,
            Applier applier,
            MemoryBudget budget,
            Seams seams,
            long lastSequence,
            CommitListener listener) {
        this.config = config;
        this.listener = listener;
        this.wal = wal;
        this.encoder = encoder;
        this.applier = applier;
        this.budget = budget;
        this.fatal = seams.fatal();
        this.closeWait = seams.closeWait();
        this.admission = new Admission(budget, config.queueCapacity(), config.retryAfter());
        this.nextSequence = lastSequence + 1;
        this.acknowledged = lastSequence;
        this.writer = new Thread(this::run, "eider-log-writer");
        writer.start();
    }

    /**
     * Replays what the log holds beyond the store, then starts taking requests.
     *
     * @param logDir the write-ahead log's directory
     */
    public static WriteQueue open(RecordStore store, Catalog catalog, IngestConfig config, Path logDir) {
        return open(store, catalog, config, logDir, CommitListener.NONE);
    }

    /** As {@link #open(RecordStore, Catalog, IngestConfig, Path)}, telling {@code listener} of every commit. */
    public static WriteQueue open(
            RecordStore store, Catalog catalog, IngestConfig config, Path logDir, CommitListener listener) {
        return open(store, catalog, config, logDir, Seams.defaults(config), listener);
    }

    static WriteQueue open(RecordStore store, Catalog catalog, IngestConfig config, Path logDir, Seams seams) {
        return open(store, catalog, config, logDir, seams, CommitListener.NONE);
    }

    static WriteQueue open(
            RecordStore store,
            Catalog catalog,
            IngestConfig config,
            Path logDir,
            Seams seams,
            CommitListener listener) {
        WriteAheadLog wal = seams.log().apply(logDir);
        LogCodec codec = new LogCodec(catalog, store);
        try {
            // Said before, not only after: replaying a large staged request can take minutes, and the
            // port opens only once it is done.
            log.atInfo()
                    .addKeyValue("event", "log_replay_started")
                    .addKeyValue("last_sequence", store.lastSequence())
                    .log("applying what the write-ahead log holds beyond the database");
            long replayed = replay(store, wal, codec, config.maxBatchRows());
            store.discardLeftoverStages();
            wal.reset(store.lastSequence() + 1);
            if (replayed > 0) {
                log.atInfo()
                        .addKeyValue("event", "log_replayed")
                        .addKeyValue("rows", replayed)
                        .addKeyValue("last_sequence", store.lastSequence())
                        .log("replayed the write-ahead log");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replay the write-ahead log in " + logDir, e);
        }
        MemoryBudget budget = new MemoryBudget(config.memoryBudget().bytes(), config.retryAfter());
        Applier applier = new Applier(
                store, wal, budget, seams.fatal(), config.maxBatchRows(), seams.pendingRows(), config.applyEvery());
        return new WriteQueue(
                config, wal, seams.encoder().apply(codec), applier, budget, seams, store.lastSequence(), listener);
    }

    /**
     * Rows that may wait in memory between log and store. One log batch holds at most
     * {@code maxBatchRows} plus one request below {@code stageThreshold}; room for two such batches
     * means the log writer can always hand over a batch once the applier has caught up.
     */
    static int pendingRows(IngestConfig config) {
        return Math.max(262_144, 2 * (config.maxBatchRows() + config.stageThreshold()));
    }

    /**
     * Applies the log's entries in batches of about {@code maxBatchRows} (or {@link Applier#MAX_BATCH_BYTES}
     * of row data, as the applier does), reading one entry at a time.
     */
    private static long replay(RecordStore store, WriteAheadLog wal, LogCodec codec, int maxBatchRows)
            throws IOException {
        long[] rows = {0};
        // The batch's rows and bytes so far, kept as entries arrive: summing the whole batch again after
        // every entry made a long replay quadratic in the batch's size.
        long[] batchRows = {0};
        long[] batchBytes = {0};
        List<WriteBatch.Sequenced> batch = new ArrayList<>();
        wal.replay(entry -> {
            List<WriteBatch.Sequenced> decoded = codec.decode(entry, store.lastSequence());
            batch.addAll(decoded);
            batchRows[0] += decoded.stream().mapToLong(s -> s.part().size()).sum();
            batchBytes[0] += Applier.bytes(decoded);
            if (!batch.isEmpty() && (batchRows[0] >= maxBatchRows || batchBytes[0] >= Applier.MAX_BATCH_BYTES)) {
                rows[0] += applyReplayed(store, batch);
                batchRows[0] = 0;
                batchBytes[0] = 0;
            }
        });
        return batch.isEmpty() ? rows[0] : rows[0] + applyReplayed(store, batch);
    }

    private static long applyReplayed(RecordStore store, List<WriteBatch.Sequenced> batch) {
        WriteBatch replayed = new WriteBatch(batch);
        store.apply(replayed);
        batch.clear();
        return replayed.rows();
    }

    /** The heap budget that request bodies being read share with the rows queued here. */
    @Override
    public MemoryBudget memory() {
        return budget;
    }

    /**
     * Queues one request's rows; the future completes once they are durable in the log. The queue
     * owns the part from here on: staged rows are released by the store once merged, or here when
     * the request is refused.
     *
     * @throws UnavailableException (503) when the queue or the memory budget is full, the queue is
     *     stopping, the log has failed, or the database stopped for good (until a restart)
     */
    @Override
    public CompletableFuture<Commit> submit(WriteBatch.Part part) {
        Health health = applier.health();
        if (health.failed()) {
            // Logging more than a restart can apply only lengthens the replay. The door stays open (closing it
            // would make health say "stopping" and liveness "up"): each write is refused while it lasts.
            Admission.discard(part);
            throw new UnavailableException("Writes refused", health.detail(), config.retryAfter());
        }
        return admission.submit(part);
    }

    private UnavailableException logFailed(Throwable cause) {
        // The system's reason ("No space left on device") is what the operator acts on; the class name is not.
        String reason = cause.getMessage() == null || cause.getMessage().isBlank()
                ? cause.getClass().getSimpleName()
                : Excerpt.of(cause.getMessage());
        return new UnavailableException(
                "Writes refused",
                "the write-ahead log failed (" + reason + "), so Eider takes no writes until it is restarted (after"
                        + " a full disk: free space where the log is kept, then restart)",
                config.retryAfter(),
                cause);
    }

    private UnavailableException stopping() {
        return new UnavailableException("Stopping", "Eider is stopping", config.retryAfter());
    }

    /** Waits until every write acknowledged so far is visible to reads (read-your-writes). */
    @Override
    public void awaitVisible() {
        try {
            long wanted = acknowledged;
            Health health = applier.applied() < wanted ? applier.health() : Health.READY;
            if (health.failed()) {
                // Only a restart applies them: waiting would end in a misleading "Overloaded".
                throw new UnavailableException(
                        "Database failed",
                        "acknowledged writes cannot be applied until Eider is restarted: " + health.detail(),
                        config.retryAfter());
            }
            // While the store refuses the writes (a full disk, say), a short wait sees a retry that mends it; a
            // long one would end in "Overloaded", which is not what is wrong.
            Duration wait = health.ready() ? READ_WAIT : FAILING_READ_WAIT;
            if (!applier.awaitApplied(wanted, wait, FAILING_READ_WAIT)) {
                Health now = applier.health();
                if (!now.ready()) {
                    throw new UnavailableException(
                            "Writes not applied",
                            "acknowledged writes cannot be applied to the database yet: " + now.detail(),
                            config.retryAfter());
                }
                throw new QueueFullException(
                        "acknowledged writes are not yet applied after " + READ_WAIT.toSeconds() + "s",
                        config.retryAfter());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for writes to apply", e);
        }
    }

    @Override
    public boolean awaitVisible(Duration max) {
        try {
            return applier.awaitApplied(acknowledged, max, max);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** What readiness reports. */
    @Override
    public Health health() {
        Throwable failed = failure;
        if (failed != null) {
            return new Health(Health.FAILED, logFailed(failed).getMessage());
        }
        if (!admission.open()) {
            return new Health("stopping", "Eider is stopping");
        }
        return applier.health();
    }

    /** Requests waiting for the log writer. */
    public int depth() {
        return admission.depth();
    }

    /** Acknowledged rows (sequences) not yet applied to the store. */
    public long applyLag() {
        return Math.max(0, acknowledged - applier.applied());
    }

    /** Whether writes are being taken and applied. */
    public boolean healthy() {
        return health().ready();
    }

    private void run() {
        List<Admission.Pending> batch = new ArrayList<>();
        while (admission.pending()) {
            try {
                if (admission.take(batch, config.maxBatchRows())) {
                    commit(batch);
                    batch.clear();
                }
            } catch (InterruptedException e) {
                // Closing gave up waiting for the applier: what is logged replays at the next start.
                Thread.currentThread().interrupt();
                admission.refuseWaiting(stopping());
                return;
            } catch (IOException e) {
                fail(batch, e);
                return;
            } catch (RuntimeException | Error e) {
                // Outside encoding (see commit) the log's state is unknown: a restart replays it.
                fatal.halt("the log writer", e);
                fail(batch, e);
                return;
            }
        }
    }

    /**
     * Whether the entry being written reached the disk is unknown: stop taking writes rather than
     * guess. Requests in the failed batch may yet be replayed at the next start; queued ones never
     * reached the log.
     */
    private void fail(List<Admission.Pending> batch, Throwable e) {
        failure = e;
        admission.close(() -> logFailed(e));
        log.atError()
                .addKeyValue("event", "log_failed")
                .addKeyValue("action", "refusing_writes")
                .setCause(e)
                .log("the write-ahead log failed; refusing writes");
        UnavailableException refused = logFailed(e);
        batch.forEach(p -> admission.refuse(p, refused));
        batch.clear();
        admission.refuseWaiting(refused);
    }

    private void commit(List<Admission.Pending> batch) throws IOException, InterruptedException {
        List<Admission.Pending> accepted = new ArrayList<>(batch.size());
        List<ByteBuffer> encoded = new ArrayList<>(batch.size());
        if (!encode(batch, accepted, encoded)) {
            batch.clear();
            return;
        }
        List<WriteBatch.Sequenced> parts = new ArrayList<>(accepted.size());
        List<Long> firsts = new ArrayList<>(accepted.size());
        long first = nextSequence;
        for (Admission.Pending p : accepted) {
            parts.add(new WriteBatch.Sequenced(p.part(), nextSequence));
            firsts.add(nextSequence);
            nextSequence += p.part().size();
        }
        long last = nextSequence - 1;
        long t0 = System.nanoTime();
        wal.append(first, LogCodec.entry(firsts, encoded, last));
        wal.sync();
        Duration logWrite = Duration.ofNanos(System.nanoTime() - t0);
        encoded.clear();
        batch.clear();
        // Durable from here: acknowledge, then hand over (which may wait for the applier's room).
        acknowledged = last;
        // Counted before the answers: a scrape after a 200 includes its rows.
        tellListener(parts, logWrite);
        for (int i = 0; i < accepted.size(); i++) {
            Admission.Pending p = accepted.get(i);
            p.done()
                    .complete(new Commit(
                            p.part().size(), last, firsts.get(i) + p.part().size() - 1));
        }
        applier.enqueue(parts);
    }

    /**
     * Tells the commit listener (metrics) of a durable commit. Its failure is logged and dropped: an
     * observer's bug must never fail or halt the writes it observes.
     */
    private void tellListener(List<WriteBatch.Sequenced> parts, Duration logWrite) {
        try {
            listener.committed(parts, logWrite);
        } catch (RuntimeException e) {
            log.atWarn()
                    .addKeyValue("event", "commit_listener_failed")
                    .setCause(e)
                    .log("the commit listener failed; the commit stands");
        }
    }

    /**
     * Encodes each request on its own. One that cannot be encoded fails alone; an Error (an
     * OutOfMemoryError) fails the whole batch with 503 and the writer goes on, since nothing of it
     * was written yet.
     *
     * @return whether any request is left to log
     */
    private boolean encode(List<Admission.Pending> batch, List<Admission.Pending> accepted, List<ByteBuffer> encoded) {
        for (Admission.Pending p : batch) {
            try {
                encoded.add(encoder.encode(p.part()));
                accepted.add(p);
            } catch (RuntimeException e) {
                log.atError()
                        .addKeyValue("event", "request_unloggable")
                        .addKeyValue("rows", p.part().size())
                        .setCause(e)
                        .log("cannot log a request");
                admission.refuse(p, e);
            } catch (Error e) {
                encoded.clear();
                accepted.clear();
                log.atError()
                        .addKeyValue("event", "batch_unloggable")
                        .addKeyValue("requests", batch.size())
                        .addKeyValue("action", "refused")
                        .setCause(e)
                        .log("cannot log a batch");
                UnavailableException refused = new UnavailableException(
                        "Overloaded",
                        "Eider ran short of memory while logging this request, and did not store it",
                        config.retryAfter(),
                        e);
                batch.forEach(p2 -> admission.refuse(p2, refused));
                return false;
            }
        }
        return !accepted.isEmpty();
    }

    /**
     * Stops taking requests, logs and applies those already queued, and stops both threads. A
     * thread that does not finish within the close wait (an applier that keeps failing) is
     * interrupted: what it had not applied is in the log and replays at the next start.
     */
    @Override
    public void close() {
        admission.close(this::stopping);
        Threads.stop(writer, closeWait);
        applier.close(closeWait);
        try {
            if (applier.applied() == acknowledged) {
                // Everything is in the store: the next start has nothing to replay.
                wal.reset(acknowledged + 1);
            }
            wal.close();
        } catch (IOException e) {
            log.atWarn().addKeyValue("event", "log_close_failed").setCause(e).log("cannot close the write-ahead log");
        }
    }
}
