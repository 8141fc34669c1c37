package dev.eider.store.sql;

import java.sql.Connection;
import java.sql.SQLException;

/** Runs work in one transaction on a connection that is otherwise in autocommit. */
public final class Transaction {

    private Transaction() {}

    /**
     * Commits what {@code work} did, or rolls it back when it fails; the work's failure is the one
     * thrown, a failed rollback goes with it. The connection is in autocommit again afterwards.
     */
    public static <T> T run(Connection c, SqlWork<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }
}
