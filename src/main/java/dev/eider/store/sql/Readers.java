package dev.eider.store.sql;

/** Lends connections for read-only work, one at a time per caller. */
public interface Readers {

    <T> T withReader(SqlWork<T> work);

    /**
     * Like {@link #withReader}, for work that reads a result a few rows at a time ({@code setFetchSize})
     * instead of holding it whole; a store whose driver needs more for that (a transaction) gives it here.
     */
    default <T> T withCursor(SqlWork<T> work) {
        return withReader(work);
    }
}
