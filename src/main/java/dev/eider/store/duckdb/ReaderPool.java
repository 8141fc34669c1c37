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
 * Through DuckDB's MVCC they see committed data without blocking the writer. Closing closes the
 * idle connections at once and each lent one when it comes back.
 */
final class ReaderPool implements Readers, AutoCloseable {

    private final DuckDBConnection root;
    private final BlockingQueue<Connection> idle;
    private volatile boolean closed;

    ReaderPool(DuckDBConnection root, int size) throws SQLException {
        this.root = root;
        idle = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            idle.add(root.duplicate());
        }
    }

    @Override
    public <T> T withReader(SqlWork<T> work) {
        if (closed) {
            throw new StoreException("the store is closed", null);
        }
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
            c = usable(c);
            throw new StoreException(e.getMessage(), e);
        } finally {
            giveBack(c);
        }
    }

    /**
     * The connection, or a new one in its place, after a failed read: work that failed inside a transaction
     * (a read that ran out of memory, say) can leave it open and aborted, and every later read on it would fail.
     */
    private Connection usable(Connection c) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
            return c;
        } catch (SQLException e) {
            try {
                c.close();
                return root.duplicate();
            } catch (SQLException again) {
                // The database itself is gone; the broken connection goes back and fails its next reader too.
                return c;
            }
        }
    }

    private void giveBack(Connection c) {
        idle.add(c);
        if (closed) {
            // Lent when the pool closed: close it now that it is back (or close() already did).
            closeIdle();
        }
    }

    @Override
    public void close() {
        closed = true;
        closeIdle();
    }

    private void closeIdle() {
        Connection c;
        while ((c = idle.poll()) != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // Nothing more to release.
            }
        }
    }
}
