package dev.eider.ingest;

import dev.eider.store.Gatherer;
import dev.eider.store.HeapSize;
import dev.eider.store.RecordPage;
import dev.eider.store.RecordStore;
import dev.eider.store.StagedRows;
import dev.eider.store.StoredRow;
import dev.eider.store.WriteBatch;
import dev.eider.table.TableDef;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** A real store whose {@link #apply} (and gatherer) throws what the test sets, until it is cleared. */
final class FailingStore implements RecordStore {

    private final RecordStore store;
    private final AtomicReference<Supplier<? extends Throwable>> failure = new AtomicReference<>();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicLong largestApplied = new AtomicLong();
    private final AtomicLong gathered = new AtomicLong();
    private final AtomicLong gatheredBytes = new AtomicLong();
    private final AtomicLong largestGatheredApply = new AtomicLong();

    FailingStore(RecordStore store) {
        this.store = store;
    }

    /** Makes every apply throw {@code error} from now on (null: apply again). */
    void failWith(Supplier<? extends Throwable> error) {
        failure.set(error);
    }

    /** The most row data ({@link HeapSize}) one applied batch held so far. */
    long largestApplied() {
        return largestApplied.get();
    }

    /** Rows the real store's gatherer took so far. */
    long gathered() {
        return gathered.get();
    }

    /**
     * The most row data ({@link HeapSize}) one apply of gathered rows took into the table so far: the rows
     * gathered since the last apply, which applies them first whether it is {@link Gatherer#applyGathered}
     * or an {@link #apply} of a batch.
     */
    long largestGatheredApply() {
        return largestGatheredApply.get();
    }

    /** Applies refused so far. */
    int refused() {
        return refused.get();
    }

    @Override
    public void apply(WriteBatch batch) {
        failIfSet();
        store.apply(batch);
        largestApplied.accumulateAndGet(Applier.bytes(batch.parts()), Math::max);
        appliedGathered();
    }

    private void appliedGathered() {
        largestGatheredApply.accumulateAndGet(gatheredBytes.getAndSet(0), Math::max);
    }

    /** The real store's gatherer, failing as {@link #apply} does. */
    @Override
    public Optional<Gatherer> gatherer() {
        return store.gatherer().map(g -> new Gatherer() {
            @Override
            public void gather(WriteBatch batch) {
                failIfSet();
                g.gather(batch);
                gathered.addAndGet(batch.rows());
                gatheredBytes.addAndGet(Applier.bytes(batch.parts()));
                largestApplied.accumulateAndGet(Applier.bytes(batch.parts()), Math::max);
            }

            @Override
            public void applyGathered() {
                failIfSet();
                g.applyGathered();
                appliedGathered();
            }
        });
    }

    private void failIfSet() {
        Supplier<? extends Throwable> f = failure.get();
        if (f != null) {
            refused.incrementAndGet();
            Throwable t = f.get();
            if (t instanceof Error e) {
                throw e;
            }
            throw (RuntimeException) t;
        }
    }

    @Override
    public long lastSequence() {
        return store.lastSequence();
    }

    @Override
    public long lastSequence(TableDef table) {
        return store.lastSequence(table);
    }

    @Override
    public boolean checkpoint() {
        failIfSet();
        return store.checkpoint();
    }

    @Override
    public StagedRows stage(TableDef table) {
        return store.stage(table);
    }

    @Override
    public StagedRows findStaged(TableDef table, String name, long size) {
        return store.findStaged(table, name, size);
    }

    @Override
    public void discardLeftoverStages() {
        store.discardLeftoverStages();
    }

    @Override
    public Optional<StoredRow> get(TableDef table, Object key) {
        return store.get(table, key);
    }

    @Override
    public RecordPage list(TableDef table, Object after, int limit, long maxBytes) {
        return store.list(table, after, limit, maxBytes);
    }

    @Override
    public long count(TableDef table) {
        return store.count(table);
    }

    @Override
    public void close() {
        store.close();
    }
}
