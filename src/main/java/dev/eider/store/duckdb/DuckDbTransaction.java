package dev.eider.store.duckdb;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Transactions on a DuckDB connection that stays in JDBC autocommit: begun, committed and rolled back in
 * SQL. DuckDB ends a transaction itself when its {@code COMMIT} fails (its log could not be written, or
 * memory ran out): the driver's {@code rollback()} then fails with "no transaction is active" and, with
 * JDBC autocommit off, the driver still takes the connection for one in a transaction while every later
 * statement commits on its own (turning autocommit off again does not mend it). The writer then retried
 * "cannot commit" for good while each retry's deletes were committed without its inserts, and acknowledged
 * rows were lost (a new-user trial). With an explicit {@code BEGIN} per batch, a transaction DuckDB ended
 * leaves nothing behind. Each control statement gets a statement of its own: the driver closes a statement
 * whose execution failed. ({@code store.sql.Transaction} serves PostgreSQL, whose driver keeps track.)
 */
final class DuckDbTransaction {

    private DuckDbTransaction() {}

    /** Runs {@code step} in one transaction: committed when it returns, rolled back when anything fails. */
    static void run(Connection c, SqlStep step) throws SQLException {
        begin(c);
        try {
            step.run();
            commit(c);
        } catch (SQLException | RuntimeException e) {
            rollback(c, e);
            throw e;
        }
    }

    /** Work on the connection a transaction is open on. */
    interface SqlStep {
        void run() throws SQLException;
    }

    /**
     * Begins a transaction. One left open, aborted, because its rollback failed too (out of memory, say) is
     * rolled back first: otherwise every later batch fails on "Current transaction is aborted".
     */
    static void begin(Connection c) throws SQLException {
        try {
            execute(c, "BEGIN TRANSACTION");
        } catch (SQLException e) {
            try {
                execute(c, "ROLLBACK");
            } catch (SQLException again) {
                e.addSuppressed(again);
                throw e;
            }
            execute(c, "BEGIN TRANSACTION");
        }
    }

    static void commit(Connection c) throws SQLException {
        execute(c, "COMMIT");
    }

    /** Rolls back what is left of the transaction; after a failed {@code COMMIT} nothing is, and that is fine. */
    static void rollback(Connection c, Throwable failure) {
        try {
            execute(c, "ROLLBACK");
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
