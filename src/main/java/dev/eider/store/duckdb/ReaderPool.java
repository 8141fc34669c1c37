package dev.eider.store.duckdb;

import dev.eider.store.StoreException;
import dev.eider.store.sql.Readers;
import dev.eider.store.sql.SqlWork;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.duckdb.DuckDBConnection;

/**
 * Connections duplicated from the database's root connection, lent to readers one at a time.
 * Through DuckDB's MVCC they see committed data without blocking the writer.
 */
final class ReaderPool implements Readers, AutoCloseable {

    private final BlockingQueue<Connection> idle;

    ReaderPool(DuckDBConnection root, int size) throws SQLException {
        idle = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            idle.add(root.duplicate());
        }
    }

    @Override
    public <T> T withReader(SqlWork<T> work) {
        Connection c;
        try {
            c = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a connection", e);
        }
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(e.getMessage(), e);
        } finally {
            idle.add(c);
        }
    }

    @Override
    public void close() throws SQLException {
        for (Connection c : idle) {
            c.close();
        }
    }
}
