package dev.eider.store.sql;

/** Lends connections for read-only work, one at a time per caller. */
public interface Readers {

    <T> T withReader(SqlWork<T> work);

    /**
     * Like {@link #withReader}, in one transaction: for work that reads a result a few rows at a time
     * ({@code setFetchSize}; pgjdbc holds a whole result in memory unless it fetches inside a transaction),
     * and for several reads that should see one snapshot where the database gives a transaction one (DuckDB).
     */
    default <T> T withCursor(SqlWork<T> work) {
        return withReader(c -> Transaction.run(c, work));
    }
}
