package dev.eider.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Where {@link ExportHistory} gets its prepared statements: made afresh for every use ({@link #FRESH}, for
 * pooled connections), or made once on a connection and kept ({@link #kept()}).
 *
 * <p>Kept statements are for DuckDB's writer connection, which one thread at a time uses (under the
 * writer's lock): there, parsing and planning one of the history's statements cost about as much as
 * running it on the history's few rows, and every export runs four of them (measured in
 * docs/decisions.md, "An export's bookkeeping statements are prepared once"). PostgreSQL's driver keeps
 * server-side statements by itself.
 */
public interface Statements {

    /** A statement for one use; closing it ends the use (and closes it unless it is kept). */
    Use prepare(Connection c, String sql) throws SQLException;

    /** Prepares each statement for its one use and closes it afterwards. */
    Statements FRESH = (c, sql) -> new Use(c.prepareStatement(sql), true);

    /**
     * Keeps each statement once prepared, for the one connection it is used on; a use on another
     * connection (the store reopened) forgets the statements of the one before, which closes them as it
     * closes. Callers use it from one thread at a time.
     */
    static Statements kept() {
        return new Statements() {
            private final Map<String, PreparedStatement> kept = new HashMap<>();
            private Connection connection;

            @Override
            public synchronized Use prepare(Connection c, String sql) throws SQLException {
                if (c != connection) {
                    kept.clear();
                    connection = c;
                }
                PreparedStatement ps = kept.get(sql);
                if (ps == null || ps.isClosed()) {
                    ps = c.prepareStatement(sql);
                    kept.put(sql, ps);
                }
                return new Use(ps, false);
            }
        };
    }

    /** One use of a prepared statement. */
    record Use(PreparedStatement statement, boolean closeAfter) implements AutoCloseable {

        @Override
        public void close() throws SQLException {
            if (closeAfter) {
                statement.close();
            } else if (!statement.isClosed()) {
                // A kept statement must not carry this use's values into the next. (DuckDB closes a statement
                // whose execution failed: the next use prepares it again.)
                statement.clearParameters();
            }
        }
    }
}
