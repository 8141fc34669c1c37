package dev.eider.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.eider.config.EiderConfig;
import dev.eider.store.HeapSize;
import dev.eider.store.Mutation;
import dev.eider.store.StagedRows;
import dev.eider.store.StoreException;
import dev.eider.store.WriteBatch;
import dev.eider.store.duckdb.DuckDbStore;
import dev.eider.table.Catalog;
import dev.eider.table.TableDef;
import dev.eider.testing.TestConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log writer and the applier facing failures, through WriteQueue's seams: an Error while
 * encoding fails only its batch; an Error anywhere else halts (through the fatal handler, recorded
 * here); a log I/O failure refuses writes with 503 and readiness says failed; closing never hangs.
 */
class WriterFailureIT {

    private static final TableDef RECORDS = TableDef.DEFAULT;

    @TempDir
    Path dir;

    private final List<String> halted = new CopyOnWriteArrayList<>();
    private final AtomicBoolean failAppend = new AtomicBoolean();
    private final AtomicBoolean failSync = new AtomicBoolean();

    @Test
    void submit_outOfMemoryWhileEncoding_failsOnlyThatBatchWith503AndLaterWritesCommit() {
        Function<LogCodec, PartEncoder> encoder = codec -> part -> {
            if (value(part).equals("boom")) {
                throw new OutOfMemoryError("test: no heap for this batch");
            }
            return codec.encodePart(part);
        };
        EiderConfig config = TestConfig.in(dir);
        try (DuckDbStore store = openStore(config);
                WriteQueue queue = open(store, config, seams(config, encoder, 1 << 18))) {
            CompletableFuture<Commit> bad = queue.submit(row(1, "boom"));

            assertThatThrownBy(bad::join)
                    .isInstanceOf(CompletionException.class)
                    .cause()
                    .isInstanceOfSatisfying(
                            UnavailableException.class,
                            u -> assertThat(u.title()).isEqualTo("Overloaded"));
            Commit good = queue.submit(row(2, "fine")).join();
            queue.awaitVisible();

            assertThat(good.rows()).isEqualTo(1);
            assertThat(store.get(RECORDS, 2L)).isPresent();
            assertThat(store.get(RECORDS, 1L)).isEmpty();
            assertThat(queue.health().ready()).isTrue();
            assertThat(halted).isEmpty();
            await().untilAsserted(() -> assertThat(queue.memory().used()).isZero());
        }
    }

    @Test
    void submit_commitListenerThrows_writesAreAcknowledgedAndTheWriterKeepsRunning() {
        // A metrics bug once halted the whole service after every file write: a listener must never do that.
        EiderConfig config = TestConfig.in(dir);
        CommitListener broken = (parts, logWrite) -> {
            throw new ClassCastException("test: a listener that cannot read this part");
        };
        try (DuckDbStore store = openStore(config);
                WriteQueue queue = open(store, config, seams(config, codec -> codec::encodePart, 1 << 18), broken)) {
            CompletableFuture<Commit> a = queue.submit(row(1, "a"));
            CompletableFuture<Commit> b = queue.submit(row(2, "b"));
            await().atMost(Duration.ofMinutes(1)).until(() -> a.isDone() && b.isDone());
            Commit first = a.join();
            Commit second = b.join();
            queue.awaitVisible();

            assertThat(first.rows()).isEqualTo(1);
            assertThat(second.rows()).isEqualTo(1);
            assertThat(store.get(RECORDS, 2L)).isPresent();
            assertThat(queue.health().ready()).isTrue();
            assertThat(halted).isEmpty();
        }
    }

    @Test
    void submit_whileTheWriterIsBusyAndTheQueueFull_isRefusedAndTheQueuedRequestsCommit() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Function<LogCodec, PartEncoder> encoder = codec -> part -> {
            if (value(part).equals("hold")) {
                writing.countDown();
                awaitQuietly(release);
            }
            return codec.encodePart(part);
        };
        EiderConfig config = TestConfig.in(dir, "", Map.of("ingest.queue_capacity", "1", "ingest.retry_after", "2s"));
        try (DuckDbStore store = openStore(config);
                WriteQueue queue = open(store, config, seams(config, encoder, 1 << 18))) {
            CompletableFuture<Commit> held = queue.submit(row(1, "hold"));
            writing.await();
            CompletableFuture<Commit> queued = queue.submit(row(2, "queued"));

            assertThatThrownBy(() -> queue.submit(row(3, "refused")))
                    .isInstanceOfSatisfying(
                            QueueFullException.class,
                            q -> assertThat(q.retryAfter()).isEqualTo(Duration.ofSeconds(2)));
            release.countDown();
            held.join();
            queued.join();
            queue.awaitVisible();
            assertThat(store.get(RECORDS, 2L)).isPresent();
            assertThat(store.get(RECORDS, 3L)).isEmpty();
        }
    }

    @Test
    void submit_errorWhileAppendingToTheLog_haltsThroughTheFatalHandler() {
        EiderConfig config = TestConfig.in(dir);
        try (DuckDbStore store = openStore(config);
                WriteQueue queue = open(store, config, seams(config, codec -> codec::encodePart, 1 << 18))) {
            failAppend.set(true);

            assertThatThrownBy(() -> queue.submit(row(1, "a")).join()).cause().isInstanceOf(UnavailableException.class);
            assertThat(halted).containsExactly("the log writer: java.lang.OutOfMemoryError: test: append");
            assertThat(queue.health().status()).isEqualTo("failed");
        }
    }

    @Test
    void submit_logSyncFails_refusesEveryWriteWith503AndReadinessSaysFailed() {
        EiderConfig config = TestConfig.in(dir);
        try (DuckDbStore store = openStore(config);
                WriteQueue queue = open(store, config, seams(config, codec -> codec::encodePart, 1 << 18))) {
            queue.submit(row(1, "before")).join();
            failSync.set(true);

            assertThatThrownBy(() -> queue.submit(row(2, "during")).join())
                    .cause()
                    .isInstanceOfSatisfying(UnavailableException.class, u -> {
                        assertThat(u.title()).isEqualTo("Writes refused");
                        // The system's reason, which the operator acts on; not the exception's class.
                        assertThat(u.getMessage())
                                .contains("No space left on device")
                                .doesNotContain("IOException");
                    });
            assertThatThrownBy(() -> queue.submit(row(3, "after")))
                    .isInstanceOf(UnavailableException.class)
                    .hasMessageContaining("restarted");
            assertThat(queue.health().status()).isEqualTo("failed");
            assertThat(queue.health().detail()).contains("write-ahead log failed");
            assertThat(halted).isEmpty();
        }
    }

    @Test
    void apply_manyRequestsOfLargeValuesWaiting_goInTransactionsOfBoundedSize() {
        // New-user trial: requests of 200 KB values piled up behind the applier went into one transaction
        // (batches were bounded by rows alone), which DuckDB could not hold; it was retried without end.
        EiderConfig config = TestConfig.in(dir, "", Map.of("ingest.memory_budget", "512MB"));
        try (FailingStore store = new FailingStore(openStore(config));
                WriteQueue queue = open(store, config, seams(config, codec -> codec::encodePart, 1 << 18))) {
            store.failWith(() -> new IllegalStateException("test: hold the applier back"));
            String large = "x".repeat(200_000);
            List<CompletableFuture<Commit>> writes = new ArrayList<>();
            for (long id = 0; id < 100; id++) {
                writes.add(queue.submit(row(id, large)));
            }
            writes.forEach(CompletableFuture::join);
            await().until(() -> store.refused() > 0);

            store.failWith(null);
            queue.awaitVisible();

            assertThat(store.count(RECORDS)).isEqualTo(100);
            long onePart = HeapSize.of(row(0, large));
            assertThat(store.largestApplied())
                    .isLessThan(100 * onePart / 2)
                    .isLessThanOrEqualTo(Applier.MAX_BATCH_BYTES + onePart);
        }
    }

    @Test
    void applyGathered_manyRequestsOfLargeValues_appliesAtMostOneTransactionsWorthAtATime() {
        // Gathered rows were bounded by max_batch_rows alone: 8KB values gathered by the thousand made one
        // transaction larger than DuckDB's memory limit (found by S3ExportIT, by timing).
        EiderConfig config =
                TestConfig.in(dir, "", Map.of("ingest.apply_every", "1h", "ingest.memory_budget", "512MB"));
        try (FailingStore store = new FailingStore(openStore(config));
                WriteQueue queue = open(store, config, seams(config, codec -> codec::encodePart, 1 << 18))) {
            String large = "x".repeat(100_000);
            long onePart = HeapSize.of(row(0, large));
            long rows = 3 * Applier.MAX_BATCH_BYTES / onePart;
            for (long id = 0; id < rows; id++) {
                queue.submit(row(id, large)).join();
            }
            // Every row is gathered (no reader asks for them) before the read below applies the last ones.
            await().until(() -> store.gathered() == rows);
            queue.awaitVisible();

            assertThat(store.count(RECORDS)).isEqualTo(rows);
            assertThat(store.largestGatheredApply())
                    .isGreaterThan(0)
                    .isLessThanOrEqualTo(Applier.MAX_BATCH_BYTES + onePart);
        }
    }

    @Test
    void apply_errorInTheApplier_haltsThroughTheFatalHandler() {
        EiderConfig config = TestConfig.in(dir);
        try (FailingStore store = new FailingStore(openStore(config));
                WriteQueue queue = open(store, config, seams(config, codec -> codec::encodePart, 1 << 18))) {
            store.failWith(() -> new OutOfMemoryError("test: apply"));

            queue.submit(row(1, "logged")).join();

            await().until(() -> !halted.isEmpty());
            assertThat(halted).containsExactly("the applier: java.lang.OutOfMemoryError: test: apply");
        }
    }

    @Test
    void close_whileTheStoreKeepsFailing_returnsAndTheLogKeepsTheWrites() {
        EiderConfig config = TestConfig.in(dir, "", Map.of("ingest.max_batch_rows", "1"));
        FailingStore store = new FailingStore(openStore(config));
        // Room for one row between log and store: the writer waits for the failing applier.
        WriteQueue queue = open(store, config, seams(config, codec -> codec::encodePart, 1));
        store.failWith(() -> new IllegalStateException("test: disk full"));
        queue.submit(row(1, "a")).join();
        queue.submit(row(2, "b")).join();
        await().until(() -> store.refused() > 0);
        assertThat(queue.health().status()).isEqualTo("failing");

        CompletableFuture<Void> closed = CompletableFuture.runAsync(queue::close);

        await().atMost(Duration.ofSeconds(60)).until(closed::isDone);
        store.close();
        try (DuckDbStore reopened = openStore(config);
                WriteQueue replayed = WriteQueue.open(reopened, catalog(config), config.ingest(), dir.resolve("log"))) {
            replayed.awaitVisible();
            assertThat(reopened.get(RECORDS, 1L)).isPresent();
            assertThat(reopened.get(RECORDS, 2L)).isPresent();
        }
    }

    @Test
    void awaitVisible_whileTheStoreRefusesWrites_namesWhyInsteadOfOverloaded() {
        // New-user trial: on a full disk a read waited 30 s, then said "Overloaded ... retry after 1s".
        EiderConfig config = TestConfig.in(dir, "", Map.of());
        FailingStore store = new FailingStore(openStore(config));
        try (WriteQueue queue = open(store, config, seams(config, codec -> codec::encodePart, 1024))) {
            store.failWith(() -> new StoreException("cannot commit: No space left on device", null));
            queue.submit(row(1, "a")).join();
            await().until(() -> !queue.health().ready());

            assertThatThrownBy(queue::awaitVisible)
                    .isInstanceOfSatisfying(
                            UnavailableException.class,
                            u -> assertThat(u.title()).isEqualTo("Writes not applied"))
                    .hasMessageContaining("No space left on device")
                    .hasMessageNotContaining("Overloaded");

            store.failWith(null);
            queue.awaitVisible(); // the applier's next retry applies it
            assertThat(store.get(RECORDS, 1L)).isPresent();
        } finally {
            store.close();
        }
    }

    @Test
    void applyGathered_whileTheStoreRefuses_keepsTheGatheredRowsUntilItCanApplyThem() {
        EiderConfig config = TestConfig.in(dir, "", Map.of("ingest.apply_every", "1h"));
        FailingStore store = new FailingStore(openStore(config));
        try (WriteQueue queue = open(store, config, seams(config, codec -> codec::encodePart, 1024))) {
            for (long id = 1; id <= 20; id++) {
                queue.submit(row(id, "v" + id)).join();
            }
            await().until(() -> store.gathered() == 20);
            assertThat(store.lastSequence()).as("gathered, not applied").isZero();
            store.failWith(() -> new StoreException("cannot commit: No space left on device", null));

            // The read asks for them at once, and hears why they cannot be applied.
            assertThatThrownBy(queue::awaitVisible)
                    .isInstanceOf(UnavailableException.class)
                    .hasMessageContaining("No space left on device");

            store.failWith(null);
            queue.awaitVisible();
            assertThat(store.count(RECORDS)).isEqualTo(20);
            assertThat(store.get(RECORDS, 20L))
                    .hasValueSatisfying(r -> assertThat(r.values()[1]).isEqualTo("v20"));
        } finally {
            store.close();
        }
    }

    @Test
    void close_withRowsGathered_appliesThemFirst() {
        EiderConfig config = TestConfig.in(dir, "", Map.of("ingest.apply_every", "1h"));
        FailingStore store = new FailingStore(openStore(config));
        try {
            WriteQueue queue = open(store, config, seams(config, codec -> codec::encodePart, 1024));
            for (long id = 1; id <= 10; id++) {
                queue.submit(row(id, "v" + id)).join();
            }
            await().until(() -> store.gathered() == 10);
            assertThat(store.lastSequence()).isZero();

            queue.close();

            assertThat(store.lastSequence()).isEqualTo(10);
            assertThat(store.count(RECORDS)).isEqualTo(10);
        } finally {
            store.close();
        }
    }

    @Test
    void apply_databaseInvalidated_healthSaysFailedSoThatLivenessAsksForARestart() {
        EiderConfig config = TestConfig.in(dir, "", Map.of());
        FailingStore store = new FailingStore(openStore(config));
        try (WriteQueue queue = open(store, config, seams(config, codec -> codec::encodePart, 1024))) {
            // What DuckDB answers every statement once a fatal error (a failed checkpoint) stopped it.
            store.failWith(() -> new StoreException(
                    "cannot commit",
                    new SQLException("FATAL Error: Failed: database has been invalidated because of a previous"
                            + " fatal error. The database must be restarted prior to being used again.")));
            queue.submit(row(1, "a")).join();

            // The applier records the failure after the store refused: wait for that, not for the refusal.
            await().until(() -> !queue.health().ready());
            assertThat(queue.health().status()).isEqualTo("failed");
            assertThat(queue.health().detail()).contains("restart Eider").contains("write-ahead log");
            // New-user trial: a read waited 30 s for writes that cannot be applied, then said "Overloaded".
            assertThatThrownBy(queue::awaitVisible)
                    .isInstanceOfSatisfying(
                            UnavailableException.class,
                            u -> assertThat(u.title()).isEqualTo("Database failed"))
                    .hasMessageContaining("restart Eider");
            // Round fourteen's trial: writes were still acknowledged, and /health quoted DuckDB's text and path.
            assertThat(queue.health().detail()).doesNotContain("FATAL").doesNotContain("invalidated");
            assertThatThrownBy(() -> queue.submit(row(2, "b")))
                    .isInstanceOfSatisfying(
                            UnavailableException.class,
                            u -> assertThat(u.title()).isEqualTo("Writes refused"))
                    .hasMessageContaining("restart Eider");
            // Review: refusing that write must not turn health into "stopping" (liveness "up").
            assertThat(queue.health().failed()).isTrue();
            store.failWith(null);
        } finally {
            store.close();
        }
    }

    @Test
    void checkpoint_databaseInvalidated_healthSaysFailedBeforeAnyWrite() {
        EiderConfig config = TestConfig.in(dir, "", Map.of());
        FailingStore store = new FailingStore(openStore(config));
        try (WriteQueue queue = open(store, config, seams(config, codec -> codec::encodePart, 1024))) {
            queue.submit(row(1, "a")).join();
            queue.awaitVisible();
            // Round fourteen's trial: the idle checkpoint hit a full disk, DuckDB stopped, and /health said
            // "ready" for over a minute, until the next write failed.
            store.failWith(() -> new StoreException(
                    "checkpoint",
                    new SQLException("FATAL Error: Failed: database has been invalidated because of a previous"
                            + " fatal error. Original error: \"Failed to create checkpoint because of error: Could"
                            + " not write file \"/srv/data.db\": No space left on device\"")));

            await().until(() -> queue.health().failed());
            assertThat(queue.health().detail()).contains("restart Eider").doesNotContain("/srv/data.db");
            store.failWith(null);
        } finally {
            store.close();
        }
    }

    @Test
    void submit_stagedRequestTheWriterCannotLog_closesItsStagedRows() {
        Function<LogCodec, PartEncoder> encoder = codec -> part -> {
            throw new IllegalStateException("test: cannot encode");
        };
        EiderConfig config = TestConfig.in(dir);
        FakeStage stage = new FakeStage();
        try (DuckDbStore store = openStore(config);
                WriteQueue queue = open(store, config, seams(config, encoder, 1 << 18))) {
            assertThatThrownBy(() -> queue.submit(new WriteBatch.Staged(stage)).join())
                    .isInstanceOf(CompletionException.class);

            assertThat(stage.closed).isTrue();
        }
    }

    @Test
    void submit_afterClose_answersStoppingAndClosesStagedRows() {
        EiderConfig config = TestConfig.in(dir);
        FakeStage stage = new FakeStage();
        try (DuckDbStore store = openStore(config)) {
            WriteQueue queue = open(store, config, seams(config, codec -> codec::encodePart, 1 << 18));
            queue.close();

            assertThatThrownBy(() -> queue.submit(new WriteBatch.Staged(stage)))
                    .isInstanceOfSatisfying(
                            UnavailableException.class,
                            u -> assertThat(u.title()).isEqualTo("Stopping"));
            assertThat(stage.closed).isTrue();
        }
    }

    private WriteQueue.Seams seams(EiderConfig config, Function<LogCodec, PartEncoder> encoder, int pendingRows) {
        return new WriteQueue.Seams(
                encoder,
                logDir -> new WriteAheadLog(logDir, 64L << 20) {
                    @Override
                    synchronized void append(long firstSequence, ByteBuffer... payload) throws IOException {
                        if (failAppend.get()) {
                            throw new OutOfMemoryError("test: append");
                        }
                        super.append(firstSequence, payload);
                    }

                    @Override
                    void sync() throws IOException {
                        if (failSync.get()) {
                            throw new IOException("No space left on device");
                        }
                        super.sync();
                    }
                },
                (where, error) -> halted.add(where + ": " + error),
                pendingRows,
                Duration.ofSeconds(1));
    }

    private WriteQueue open(dev.eider.store.RecordStore store, EiderConfig config, WriteQueue.Seams seams) {
        return WriteQueue.open(store, catalog(config), config.ingest(), dir.resolve("log"), seams);
    }

    private WriteQueue open(
            dev.eider.store.RecordStore store, EiderConfig config, WriteQueue.Seams seams, CommitListener listener) {
        return WriteQueue.open(store, catalog(config), config.ingest(), dir.resolve("log"), seams, listener);
    }

    private static DuckDbStore openStore(EiderConfig config) {
        return DuckDbStore.open(TestConfig.duckDb(config), catalog(config));
    }

    private static Catalog catalog(EiderConfig config) {
        return new Catalog(config.tables());
    }

    private static WriteBatch.Rows row(long id, String value) {
        return new WriteBatch.Rows(List.of(Mutation.upsert(RECORDS, new Object[] {id, value})));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String value(WriteBatch.Part part) {
        return part instanceof WriteBatch.Rows r
                ? String.valueOf(r.mutations().get(0).values()[1])
                : "";
    }

    /** Staged rows that only remember whether they were closed. */
    private static final class FakeStage implements StagedRows {
        volatile boolean closed;

        @Override
        public TableDef table() {
            return RECORDS;
        }

        @Override
        public String name() {
            return "_eider_stage_r_fake";
        }

        @Override
        public void add(Object key, Object[] values) {}

        @Override
        public long size() {
            return 1;
        }

        @Override
        public void seal() {}

        @Override
        public void close() {
            closed = true;
        }
    }
}
