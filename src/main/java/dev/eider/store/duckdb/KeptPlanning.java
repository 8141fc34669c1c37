package dev.eider.store.duckdb;

import dev.eider.export.ExportState;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What planning an export asks of the history, as last read from the file and kept up to date since: the highest
 * plan id, and each table's open plan. Kept by the {@link DuckDbStore} (one per file, whichever export stores use
 * it) and used only under its writer's lock, by which all plans are made and ended; forgotten whenever a statement
 * that could have changed them fails, and read again. Not thread-safe: the writer's lock guards it.
 */
final class KeptPlanning {

    private boolean known;
    private long lastId;
    private final Map<String, Long> open = new HashMap<>();

    /** This, read from the file first unless known. */
    KeptPlanning known(Connection c) throws SQLException {
        return known ? this : read(c);
    }

    /** This, read again from the file. */
    KeptPlanning read(Connection c) throws SQLException {
        open.clear();
        lastId = 0;
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT table_name, min(id) FILTER (WHERE state IN "
                        + ExportState.OPEN_SQL + "), max(id) FROM _eider_exports GROUP BY table_name")) {
            while (rs.next()) {
                long openId = rs.getLong(2);
                if (!rs.wasNull()) {
                    open.put(rs.getString(1), openId);
                }
                lastId = Math.max(lastId, rs.getLong(3));
            }
        }
        known = true;
        return this;
    }

    /** Read again at the next use: a statement that could have changed the history failed. */
    void forget() {
        known = false;
    }

    /** The id the next plan gets. */
    long nextId() {
        return lastId + 1;
    }

    /** The table's open plan, if it has one. */
    Optional<Long> open(String table) {
        return Optional.ofNullable(open.get(table));
    }

    /** A plan was recorded (committed). */
    void planned(String table, long id) {
        lastId = Math.max(lastId, id);
        open.put(table, id);
    }

    /** The plan was ended (committed): succeeded, skipped or cancelled. */
    void ended(String table, long id) {
        open.remove(table, id);
    }
}
