package dev.eider.ingest;

import dev.eider.config.IngestConfig;
import dev.eider.store.RecordStore;
import dev.eider.store.StoreException;
import dev.eider.store.WriteBatch;
import dev.eider.table.Catalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit. Requests wait in a bounded queue; one thread takes everything waiting, gives it
 * sequences, appends it to the write-ahead log with a single fdatasync and acknowledges every
 * request in it. The {@link Applier} then writes the rows to the store in large transactions. A
 * full queue refuses new requests (503) rather than growing without bound.
 */
public final class WriteQueue implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WriteQueue.class);
    private static final long SEGMENT_BYTES = 64L << 20;
    private static final Duration READ_WAIT = Duration.ofSeconds(30);

    private final IngestConfig config;
    private final WriteAheadLog wal;
    private final LogCodec codec;
    private final Applier applier;
    private final BlockingQueue<Pending> queue;
    private final Thread writer;
    private final CommitListener listener;
    private long nextSequence;
    private volatile long acknowledged;
    private volatile boolean running = true;
    private volatile Throwable failure;

    private record Pending(WriteBatch.Part part, CompletableFuture<Commit> done) {}

    private WriteQueue(
            IngestConfig config,
            WriteAheadLog wal,
            LogCodec codec,
            Applier applier,
            long lastSequence,
            CommitListener listener) {
        this.config = config;
        this.listener = listener;
        this.wal = wal;
        this.codec = codec;
        this.applier = applier;
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
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
        WriteAheadLog wal = new WriteAheadLog(logDir, SEGMENT_BYTES);
        LogCodec codec = new LogCodec(catalog, store);
        try {
            long replayed = replay(store, wal, codec, config.maxBatchRows());
            store.discardLeftoverStages();
            wal.reset(store.lastSequence() + 1);
            if (replayed > 0) {
                log.info("event=log_replayed rows={} last_sequence={}", replayed, store.lastSequence());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replay the write-ahead log in " + logDir, e);
        }
        Applier applier = new Applier(store, wal, config.maxBatchRows(), pendingRows(config));
        return new WriteQueue(config, wal, codec, applier, store.lastSequence(), listener);
    }

    /**
     * Rows that may wait in memory between log and store. One log batch holds at most
     * {@code maxBatchRows} plus one request below {@code stageThreshold}; room for two such batches
     * means the log writer can always hand over a batch once the applier has caught up.
     */
    static int pendingRows(IngestConfig config) {
        return Math.max(262_144, 2 * (config.maxBatchRows() + config.stageThreshold()));
    }

    private static long replay(RecordStore store, WriteAheadLog wal, LogCodec codec, int maxBatchRows)
            throws IOException {
        long rows = 0;
        List<WriteBatch.Sequenced> batch = new ArrayList<>();
        for (byte[] entry : wal.readAll()) {
            batch.addAll(codec.decode(entry, store.lastSequence()));
            if (!batch.isEmpty() && new WriteBatch(batch).rows() >= maxBatchRows) {
                rows += applyReplayed(store, batch);
            }
        }
        return batch.isEmpty() ? rows : rows + applyReplayed(store, batch);
    }

    private static long applyReplayed(RecordStore store, List<WriteBatch.Sequenced> batch) {
        WriteBatch replayed = new WriteBatch(batch);
        store.apply(replayed);
        batch.clear();
        return replayed.rows();
    }

    /**
     * Queues one request's rows; the future completes once they are durable in the log. The queue
     * owns staged rows from here on (the store releases them once merged).
     *
     * @throws QueueFullException when the writer is this far behind
     */
    public CompletableFuture<Commit> submit(WriteBatch.Part part) {
        if (failure != null) {
            throw new StoreException("the write-ahead log failed; restart Eider", failure);
        }
        if (!running) {
            throw new IllegalStateException("the write queue is closed");
        }
        Pending p = new Pending(part, new CompletableFuture<>());
        if (!queue.offer(p)) {
            throw new QueueFullException(config.retryAfter());
        }
        if (!running && queue.remove(p)) {
            // The writer stopped between the check above and the offer: it will never take this one.
            throw new IllegalStateException("the write queue is closed");
        }
        return p.done();
    }

    /** Waits until every write acknowledged so far is visible to reads (read-your-writes). */
    public void awaitVisible() {
        try {
            if (!applier.awaitApplied(acknowledged, READ_WAIT)) {
                throw new QueueFullException(
                        "acknowledged writes are not yet applied after " + READ_WAIT.toSeconds() + "s",
                        config.retryAfter());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for writes to apply", e);
        }
    }

    /** Requests waiting for the log writer. */
    public int depth() {
        return queue.size();
    }

    /** Acknowledged rows (sequences) not yet applied to the store. */
    public long applyLag() {
        return Math.max(0, acknowledged - applier.applied());
    }

    /** Whether writes are being taken and applied. */
    public boolean healthy() {
        return failure == null && running && applier.healthy();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                Batching.takeWaiting(
                        queue, batch, config.maxBatchRows(), p -> p.part().size());
                commit(batch);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (IOException | RuntimeException | Error e) {
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
    private void fail(List<Pending> batch, Throwable e) {
        failure = e;
        running = false;
        log.error("event=log_failed action=refusing_writes", e);
        List<Pending> queued = new ArrayList<>();
        queue.drainTo(queued);
        batch.forEach(p -> p.done().completeExceptionally(e));
        queued.forEach(p -> p.done().completeExceptionally(e));
    }

    private void commit(List<Pending> batch) throws IOException, InterruptedException {
        List<Pending> accepted = new ArrayList<>(batch.size());
        List<byte[]> encoded = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            try {
                encoded.add(codec.encodePart(p.part()));
                accepted.add(p);
            } catch (RuntimeException e) {
                log.error("event=request_unloggable rows={}", p.part().size(), e);
                p.done().completeExceptionally(e);
            }
        }
        if (accepted.isEmpty()) {
            return;
        }
        List<WriteBatch.Sequenced> parts = new ArrayList<>(accepted.size());
        List<Long> firsts = new ArrayList<>(accepted.size());
        long first = nextSequence;
        for (Pending p : accepted) {
            parts.add(new WriteBatch.Sequenced(p.part(), nextSequence));
            firsts.add(nextSequence);
            nextSequence += p.part().size();
        }
        long last = nextSequence - 1;
        long t0 = System.nanoTime();
        wal.append(first, LogCodec.entry(firsts, encoded, last));
        wal.sync();
        Duration logWrite = Duration.ofNanos(System.nanoTime() - t0);
        applier.enqueue(parts);
        acknowledged = last;
        for (Pending p : accepted) {
            p.done().complete(new Commit(p.part().size(), last));
        }
        listener.committed(parts, logWrite);
    }

    /** Stops taking requests, logs and applies those already queued, and stops both threads. */
    @Override
    public void close() {
        running = false;
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        applier.close();
        try {
            if (applier.applied() == acknowledged) {
                // Everything is in the store: the next start has nothing to replay.
                wal.reset(acknowledged + 1);
            }
            wal.close();
        } catch (IOException e) {
            log.warn("event=log_close_failed", e);
        }
    }
}
