package dev.eider.ingest;

import dev.eider.store.Gatherer;
import dev.eider.store.HeapSize;
import dev.eider.store.RecordStore;
import dev.eider.store.StoreException;
import dev.eider.store.WriteBatch;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies logged (already acknowledged) requests to the store in large transactions on its own
 * thread, then lets the log drop what is applied. Readers wait here for their own writes.
 *
 * <p>Where the store has a {@link Gatherer} (DuckDB), small requests' rows are first handed to it every
 * {@link #GATHER} or so, which keeps them durable in the database, and applied together once {@code
 * ingest.apply_every} has passed (or a batch is full, a reader waits, or the applier stops): each
 * transaction that replaces rows in a large table pays a fixed cost, and a second's rows held on the heap
 * outlived the young collections (docs/decisions.md).
 */
final class Applier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Applier.class);
    private static final Duration RETRY = Duration.ofSeconds(1);
    /** Idle polls (of 100 ms) before applied writes are checkpointed into the database file. */
    private static final int IDLE_POLLS_BEFORE_CHECKPOINT = 10;
    /**
     * How long a small batch waits for more rows before it is applied (or gathered). Applying the few
     * hundred rows one loop found made the applier the largest CPU cost of a single-record write
     * (docs/cpu-profile.md). A reader waiting for its writes, or closing, ends the wait at once, so
     * reads see their writes as soon as before; only the background lag grows, by at most this.
     */
    static final Duration GATHER = Duration.ofMillis(100);

    private static final Duration SLOW_APPLY = Duration.ofSeconds(1);
    /** Batches of this many rows are applied at once: the cost per transaction is small beside them. */
    private static final long GATHER_BELOW_ROWS = 4096;
    /**
     * The most row data ({@link HeapSize}) one transaction takes from many requests. Bounded by rows
     * alone, 16,384 requests of values up to {@code server.max_value} (1 MB on PostgreSQL, or raised)
     * could meet in one transaction, which DuckDB holds in memory within {@code storage.memory_limit}
     * until the commit. (DuckDB 2.0 keeping values over about 85 KB in memory for good is another
     * matter: the default {@code server.max_value} on DuckDB stays under it.)
     */
    static final long MAX_BATCH_BYTES = 16L << 20;

    private final RecordStore store;
    /** Where small batches wait, off the heap, to be applied together; null when each batch is applied as it comes. */
    private final Gatherer gatherer;

    private final long applyEveryNanos;
    private final WriteAheadLog wal;
    private final MemoryBudget budget;
    private final Fatal fatal;
    private final int maxBatchRows;
    private final LinkedBlockingQueue<WriteBatch.Sequenced> pending = new LinkedBlockingQueue<>();
    /** Rows held in memory between the log and the store: bounds memory when the store falls behind. */
    private final Semaphore room;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progressed = lock.newCondition();
    /** Signalled when a reader waits for writes not yet applied, or the applier stops. */
    private final Condition hurry = lock.newCondition();
    /** The highest sequence a reader has waited for (guarded by lock). */
    private long wanted;

    private final Thread thread;
    private volatile long applied;
    private volatile boolean running = true;
    private volatile RuntimeException failing;
    private long rowsSinceCheckpoint;
    private int idlePolls;
    /** Rows gathered in the store and not applied yet, the last sequence among them, and when the first came. */
    private long gatheredRows;

    private long gatheredBytes;
    private long gatheredLast;
    private long gatheringSince;

    /**
     * @param applyEvery how long small batches may wait in the store's {@link Gatherer} before they are
     *     applied together; at most {@link #GATHER}, or a store without one, applies each batch as it comes
     */
    Applier(
            RecordStore store,
            WriteAheadLog wal,
            MemoryBudget budget,
            Fatal fatal,
            int maxBatchRows,
            int maxPendingRows,
            Duration applyEvery) {
        this.store = store;
        this.gatherer = applyEvery.compareTo(GATHER) > 0 ? store.gatherer().orElse(null) : null;
        this.applyEveryNanos = applyEvery.toNanos();
        this.wal = wal;
        this.budget = budget;
        this.fatal = fatal;
        this.maxBatchRows = maxBatchRows;
        this.room = new Semaphore(maxPendingRows);
        this.applied = store.lastSequence();
        this.thread = new Thread(this::run, "eider-applier");
        thread.start();
    }

    /** Hands over logged requests; blocks while too many rows wait to be applied. */
    void enqueue(List<WriteBatch.Sequenced> parts) throws InterruptedException {
        room.acquire(weight(parts));
        pending.addAll(parts);
    }

    /**
     * {@code failing} while the store refuses to apply logged writes (reads then wait, readiness fails);
     * {@code failed} once the database has stopped for good, so that liveness tells a supervisor to restart.
     */
    Health health() {
        RuntimeException e = failing;
        // In plain words, without the database's own (an engine's text, server paths): /health needs no
        // token, and the log has the rest.
        if (e == null) {
            return Health.READY;
        }
        String system = e instanceof StoreException s
                ? s.systemReason().map(r -> r + "; ").orElse("")
                : "";
        if (e instanceof StoreException s && s.databaseInvalidated()) {
            return new Health(
                    Health.FAILED,
                    "the database stopped after a fatal error (" + system + "see the log; after a full disk, free"
                            + " space where storage.path points); restart Eider: acknowledged writes are kept in the"
                            + " write-ahead log and applied at the next start");
        }
        String why = !system.isEmpty() || (e instanceof StoreException s && s.databaseCannotWrite())
                ? "the database cannot write its files ("
                        + (system.isEmpty() ? "disk full, a file size limit, or" + " read-only; " : system)
                        + "see the log)"
                : "the store refuses acknowledged writes (see the log)";
        return new Health(
                "failing", why + "; they are kept in the write-ahead log and retried every " + RETRY.toSeconds() + "s");
    }

    long applied() {
        return applied;
    }

    /**
     * A transaction this slow holds up every write behind it (DuckDB checkpoints inside the commit
     * that crosses {@code checkpoint_threshold}): say so, since writes may soon get 503.
     */
    private static void reportIfSlow(long rows, long nanos) {
        if (nanos >= SLOW_APPLY.toNanos()) {
            log.atWarn()
                    .addKeyValue("event", "slow_apply")
                    .addKeyValue("rows", rows)
                    .addKeyValue("ms", nanos / 1_000_000)
                    .log("applying one batch to the database took over a second; writes wait behind it");
        }
    }

    /**
     * Waits until every sequence up to {@code sequence} is applied, or the timeout passes, or the store
     * has refused them for {@code whileFailing}: a read that came before the store began to refuse (the
     * apply it hurried was the first to fail) hears why as soon as one that came after.
     */
    boolean awaitApplied(long sequence, Duration timeout, Duration whileFailing) throws InterruptedException {
        if (applied >= sequence) {
            return true;
        }
        long nanos = timeout.toNanos();
        boolean failingSeen = false;
        lock.lock();
        try {
            if (sequence > wanted) {
                wanted = sequence;
                hurry.signal();
            }
            while (applied < sequence) {
                if (!failingSeen && failing != null) {
                    failingSeen = true;
                    nanos = Math.min(nanos, whileFailing.toNanos());
                }
                if (nanos <= 0) {
                    return false;
                }
                nanos = progressed.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        List<WriteBatch.Sequenced> batch = new ArrayList<>();
        while (running || !pending.isEmpty() || !batch.isEmpty() || gatheredRows > 0) {
            try {
                if (gatheredRows > 0 && gatheredAreDue()) {
                    applyGathered();
                    continue;
                }
                if (batch.isEmpty() && !take(batch)) {
                    if (gatheredRows == 0) {
                        checkpointWhenIdle();
                    }
                    continue;
                }
                WriteBatch applying = new WriteBatch(batch);
                if (gatheredRows > 0 && gatheredBytes + bytes(applying.parts()) > MAX_BATCH_BYTES) {
                    // One transaction holds at most MAX_BATCH_BYTES of rows, gathered or not: values of 8KB
                    // gathered by the thousand ran DuckDB out of its memory_limit (S3ExportIT).
                    applyGathered();
                }
                // Stopping: apply at once, rather than gather rows only to apply them on the next turn.
                if (gatherer != null && running && onlyRows(applying) && !readerWaiting()) {
                    gather(applying);
                } else {
                    apply(applying);
                }
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Error e) {
                // The JVM is in doubt (out of memory, most likely): the log keeps the requests, and a
                // restart replays them. Retrying here could leave the service up and every write waiting.
                fatal.halt("the applier", e);
                return;
            } catch (RuntimeException e) {
                // The requests are acknowledged and logged: keep them and try again. When stopping, the
                // log keeps them for the next start instead.
                failing(e);
                log.atError()
                        .addKeyValue("event", "apply_failed")
                        .addKeyValue("rows", rows(batch))
                        .addKeyValue("retry_in", RETRY)
                        .setCause(e)
                        .log("cannot apply logged writes to the database; retrying");
                if (!running || !pause()) {
                    return;
                }
            }
        }
    }

    /** Records why the store refuses writes, and tells waiting readers. */
    private void failing(RuntimeException e) {
        lock.lock();
        try {
            failing = e;
            progressed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Applies the batch, with the rows gathered before it, in one transaction. */
    private void apply(WriteBatch batch) {
        long started = System.nanoTime();
        store.apply(batch);
        long rows = batch.rows() + gatheredRows;
        reportIfSlow(rows, System.nanoTime() - started);
        failing = null;
        gatheredRows = 0;
        gatheredBytes = 0;
        finish(batch.lastSequence(), rows);
        release(batch.parts());
    }

    /**
     * Hands the batch's rows to the store to keep until they are applied with others: from here they wait
     * in the database, not on the heap, and the write-ahead log keeps them until they are applied.
     */
    private void gather(WriteBatch batch) {
        gatherer.gather(batch);
        failing = null;
        if (gatheredRows == 0) {
            gatheringSince = System.nanoTime();
        }
        gatheredRows += batch.rows();
        gatheredBytes += bytes(batch.parts());
        gatheredLast = batch.lastSequence();
        release(batch.parts());
    }

    private void applyGathered() {
        long started = System.nanoTime();
        gatherer.applyGathered();
        reportIfSlow(gatheredRows, System.nanoTime() - started);
        failing = null;
        long rows = gatheredRows;
        gatheredRows = 0;
        gatheredBytes = 0;
        finish(gatheredLast, rows);
    }

    /** Gathered rows are applied after {@code ingest.apply_every}, at a full batch, for a reader, or when stopping. */
    private boolean gatheredAreDue() {
        return !running
                || gatheredRows >= maxBatchRows
                || gatheredBytes >= MAX_BATCH_BYTES
                || System.nanoTime() - gatheringSince >= applyEveryNanos
                || readerWaiting();
    }

    private boolean readerWaiting() {
        lock.lock();
        try {
            return wanted > applied;
        } finally {
            lock.unlock();
        }
    }

    private static boolean onlyRows(WriteBatch batch) {
        for (WriteBatch.Sequenced s : batch.parts()) {
            if (!(s.part() instanceof WriteBatch.Rows)) {
                return false;
            }
        }
        return true;
    }

    /**
     * DuckDB's checkpoint rewrites the whole primary-key index, so its cost grows with the table
     * (see docs/decisions.md). Eider raises DuckDB's own threshold and checkpoints here instead,
     * once ingest has been quiet for a second, so that restarts stay fast without taxing load.
     */
    private void checkpointWhenIdle() {
        if (rowsSinceCheckpoint == 0 || ++idlePolls < IDLE_POLLS_BEFORE_CHECKPOINT) {
            return;
        }
        long started = System.nanoTime();
        idlePolls = 0;
        try {
            if (!store.checkpoint()) {
                // Another write transaction is open; nothing is wrong, and the next idle moment retries.
                log.atDebug()
                        .addKeyValue("event", "checkpoint_put_off")
                        .log("checkpoint put off: another write transaction is open");
                return;
            }
        } catch (RuntimeException e) {
            if (e instanceof StoreException s && s.databaseInvalidated()) {
                // DuckDB stops for good when a checkpoint fails this way (a full disk): say so at once, rather
                // than at the next write, so that readiness and liveness tell a supervisor to restart.
                failing(e);
                rowsSinceCheckpoint = 0; // nothing more to checkpoint until a restart: no error every second
                log.atError()
                        .addKeyValue("event", "checkpoint_failed")
                        .setCause(e)
                        .log("checkpoint failed and the database stopped; restart Eider");
                return;
            }
            // Harmless: DuckDB checkpoints on its own threshold and at shutdown; try again when idle.
            log.atWarn()
                    .addKeyValue("event", "checkpoint_failed")
                    .addKeyValue("error", e.getMessage())
                    .log("checkpoint failed; retried when idle");
            return;
        }
        log.atInfo()
                .addKeyValue("event", "checkpoint")
                .addKeyValue("rows", rowsSinceCheckpoint)
                .addKeyValue("ms", (System.nanoTime() - started) / 1_000_000)
                .log("checkpoint");
        rowsSinceCheckpoint = 0;
    }

    private boolean take(List<WriteBatch.Sequenced> batch) throws InterruptedException {
        WriteBatch.Sequenced first = pending.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
            return false;
        }
        batch.add(first);
        takeWaiting(batch);
        if (rows(batch) < GATHER_BELOW_ROWS && bytes(batch) < MAX_BATCH_BYTES) {
            gather();
            takeWaiting(batch);
        }
        return true;
    }

    /** Lets rows gather for up to {@link #GATHER}, unless a reader waits for unapplied writes or the applier stops. */
    private void gather() throws InterruptedException {
        long nanos = GATHER.toNanos();
        lock.lock();
        try {
            while (nanos > 0 && running && wanted <= applied) {
                nanos = hurry.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Rows up to {@code last} are applied: readers may see them, and the log may drop them. */
    private void finish(long last, long rows) {
        rowsSinceCheckpoint += rows;
        idlePolls = 0;
        lock.lock();
        try {
            applied = last;
            progressed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            wal.truncate(last);
        } catch (IOException e) {
            // The batch is committed: a segment left behind is skipped when the log is next replayed.
            log.atWarn()
                    .addKeyValue("event", "log_truncate_failed")
                    .addKeyValue("applied", last)
                    .addKeyValue("error", e.getMessage())
                    .log("cannot truncate the write-ahead log");
        }
    }

    /** The parts' rows are off the heap (applied or gathered): they no longer count against memory. */
    private void release(List<WriteBatch.Sequenced> parts) {
        room.release(weight(parts));
        parts.forEach(s -> budget.release(HeapSize.of(s.part())));
    }

    private static int weight(List<WriteBatch.Sequenced> parts) {
        int w = 0;
        for (WriteBatch.Sequenced s : parts) {
            // Staged rows wait in the database, not in memory.
            w += s.part() instanceof WriteBatch.Rows ? (int) s.part().size() : 1;
        }
        return w;
    }

    private void takeWaiting(List<WriteBatch.Sequenced> batch) {
        Batching.takeWaiting(
                pending, batch, maxBatchRows, s -> s.part().size(), MAX_BATCH_BYTES, s -> HeapSize.of(s.part()));
    }

    static long bytes(List<WriteBatch.Sequenced> batch) {
        long bytes = 0;
        for (WriteBatch.Sequenced s : batch) {
            bytes += HeapSize.of(s.part());
        }
        return bytes;
    }

    private static long rows(List<WriteBatch.Sequenced> batch) {
        return batch.isEmpty() ? 0 : new WriteBatch(batch).rows();
    }

    private boolean pause() {
        try {
            Thread.sleep(RETRY.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Applies everything handed over, then stops; after {@code wait} (a store that keeps failing)
     * it is interrupted, and what it had not applied replays from the log at the next start.
     */
    void close(Duration wait) {
        running = false;
        lock.lock();
        try {
            hurry.signal();
        } finally {
            lock.unlock();
        }
        Threads.stop(thread, wait);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
