package dev.eider.store.sql;

/** Lends connections for read-only work, one at a time per caller. */
public interface Readers {

    <T> T withReader(SqlWork<T> work);
}
