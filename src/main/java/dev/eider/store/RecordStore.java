package dev.eider.store;

import dev.eider.table.TableDef;
import java.util.Optional;

/**
 * The storage port: where records are kept, stamped with sequences. DuckDB implements it; the port is
 * shaped so that a PostgreSQL implementation (several Eider instances on one database) can follow.
 *
 * <p>Writes come from one writer thread at a time ({@link #apply}); reads from any thread.
 */
public interface RecordStore extends AutoCloseable {

    /** The highest sequence applied so far (0 for an empty store). */
    long lastSequence();

    /** The highest sequence among the table's rows and tombstones (0 when it has none). */
    long lastSequence(TableDef table);

    /**
     * Applies a batch in one durable transaction, stamping every row with its sequence; afterwards
     * {@link #lastSequence()} is {@code batch.lastSequence()} and the batch's staged rows are released.
     * Rows {@linkplain Gatherer gathered} before it are applied first, in the same transaction.
     *
     * @throws StoreException when nothing was committed
     */
    void apply(WriteBatch batch);

    /**
     * How this store keeps small requests' rows ahead of applying them, or empty when it applies each
     * batch as it comes (PostgreSQL: its upsert finds each key through the primary key's B-tree, so a
     * larger transaction saves little).
     */
    default Optional<Gatherer> gatherer() {
        return Optional.empty();
    }

    /**
     * Moves applied writes from the database's own log into its main file (DuckDB's CHECKPOINT).
     * Called when ingest is idle, so the cost is not paid while requests wait.
     *
     * @return whether it ran; false when the database puts it off because another write transaction is
     *     open (it is tried again at the next idle moment)
     */
    boolean checkpoint();

    /** Starts staging the rows of a large request on the calling thread. */
    StagedRows stage(TableDef table);

    /** Finds rows staged before a restart, by {@link StagedRows#name()}. */
    StagedRows findStaged(TableDef table, String name, long size);

    /** Discards staged rows that were never handed to the writer (called once the log is replayed). */
    void discardLeftoverStages();

    Optional<StoredRow> get(TableDef table, Object key);

    /**
     * Live rows with keys greater than {@code after} (all when null), by key: up to {@code limit}, and
     * no more once they hold {@code maxBytes} ({@link HeapSize}; the first row is always taken), so
     * a page of large values stays small.
     */
    RecordPage list(TableDef table, Object after, int limit, long maxBytes);

    /** Live rows (tombstones excluded). */
    long count(TableDef table);

    @Override
    void close();
}
