package dev.eider.store;

import dev.eider.table.TableDef;

/**
 * The rows of one large request, already in the database but not yet part of its table: the
 * writer merges them in the transaction that acknowledges the request.
 */
public interface StagedRows extends AutoCloseable {

    TableDef table();

    /** Names the staged rows durably, so a write-ahead log can refer to them across a restart. */
    String name();

    /** Adds a row (or a delete, when {@code values} is null) after those already staged. */
    void add(Object key, Object[] values);

    long size();

    /** Makes what was added visible to the writer; call before handing the rows to the queue. */
    void seal();

    /**
     * Discards the staged rows. The store calls it itself once it has applied them; callers call it
     * for rows never handed to the store.
     */
    @Override
    void close();
}
