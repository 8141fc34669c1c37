package dev.eider.store;

/**
 * Keeps small requests' rows in the store ahead of applying them, so that a second's requests are
 * applied in one transaction without waiting on the Java heap. DuckDB offers it ({@link
 * RecordStore#gatherer()}): each transaction that replaces rows pays a fixed cost that grows with the
 * table (it reads the key column or looks keys up in the index), so fewer, larger transactions cost
 * less per row; held on the heap for that long, the rows outlived the young collections and brought
 * full ones (docs/decisions.md).
 *
 * <p>Gathered rows are durable but not applied: readers do not see them and {@link
 * RecordStore#lastSequence()} stays where it was, until {@link #applyGathered()} or the next {@link
 * RecordStore#apply}, which applies them first, in its own transaction. A restart discards them: the
 * write-ahead log, kept until they are applied, replays them.
 */
public interface Gatherer {

    /**
     * Keeps the batch's rows (only {@link WriteBatch.Rows} parts) durably, in one transaction of their own.
     *
     * @throws StoreException when nothing was kept
     */
    void gather(WriteBatch batch);

    /**
     * Applies every gathered row in one transaction; afterwards {@link RecordStore#lastSequence()} is the
     * last gathered sequence. Does nothing when nothing is gathered.
     *
     * @throws StoreException when nothing was applied (the rows stay gathered)
     */
    void applyGathered();
}
