package dev.eider.store;

import dev.eider.table.TableDef;
import java.util.List;
import java.util.Optional;

/**
 * The storage port: where records are kept, stamped with sequences. DuckDB implements it first;
 * PostgreSQL (several Eider instances on one database) is the second implementation.
 *
 * <p>Writes come from one writer thread at a time ({@link #apply}); reads from any thread.
 */
public interface RecordStore extends AutoCloseable {

  /** The highest sequence committed so far (0 for an empty store). */
  long lastSequence();

  /**
   * Commits a batch in one durable transaction, stamping every row with the next sequences.
   *
   * @return the sequence of the commit: the highest sequence it assigned
   * @throws StoreException when nothing was committed
   */
  long apply(WriteBatch batch);

  /** Starts staging the rows of a large request on the calling thread. */
  StagedRows stage(TableDef table);

  Optional<StoredRow> get(TableDef table, Object key);

  /** Up to {@code limit} live rows with keys greater than {@code after} (all when null), by key. */
  List<StoredRow> list(TableDef table, Object after, int limit);

  /** Live rows (tombstones excluded). */
  long count(TableDef table);

  @Override
  void close();
}
