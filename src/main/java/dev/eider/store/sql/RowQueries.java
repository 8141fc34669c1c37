package dev.eider.store.sql;

import static dev.eider.store.sql.Sql.quote;

import dev.eider.store.HeapSize;
import dev.eider.store.RecordPage;
import dev.eider.store.StoredRow;
import dev.eider.table.TableDef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The reads the HTTP API makes: one row by key, a page by key, the live row count, the last sequence. */
public final class RowQueries {

    /** Rows a page read fetches at a time: few, since each may hold the largest value. */
    private static final int FETCH_ROWS = 16;

    private final Readers readers;

    public RowQueries(Readers readers) {
        this.readers = readers;
    }

    public Optional<StoredRow> get(TableDef table, Object key) {
        String sql = "SELECT " + Sql.columns(table) + ", _seq FROM " + quote(table.name()) + " WHERE " + Sql.key(table)
                + " = ? AND NOT _deleted";
        return readers.withReader(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setObject(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs, table)) : Optional.empty();
                }
            }
        });
    }

    public RecordPage list(TableDef table, Object after, int limit, long maxBytes) {
        // One row past the limit tells whether more follow; it is looked at, never read into values.
        String sql = "SELECT " + Sql.columns(table) + ", _seq FROM " + quote(table.name()) + " WHERE NOT _deleted"
                + (after == null ? "" : " AND " + Sql.key(table) + " > ?")
                + " ORDER BY " + Sql.key(table) + " LIMIT " + (limit + 1L);
        return readers.withCursor(c -> page(c, sql, table, after, limit, maxBytes));
    }

    private static RecordPage page(Connection c, String sql, TableDef table, Object after, int limit, long maxBytes)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (after != null) {
                ps.setObject(1, after);
            }
            ps.setFetchSize(FETCH_ROWS);
            List<StoredRow> rows = new ArrayList<>();
            long bytes = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rows.size() == limit || bytes >= maxBytes) {
                        return new RecordPage(rows, true);
                    }
                    StoredRow row = row(rs, table);
                    rows.add(row);
                    bytes += HeapSize.of(row.values());
                }
            }
            return new RecordPage(rows, false);
        }
    }

    public long count(TableDef table) {
        return readers.withReader(c -> {
            try (Statement st = c.createStatement();
                    ResultSet rs =
                            st.executeQuery("SELECT count(*) FROM " + quote(table.name()) + " WHERE NOT _deleted")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    public long lastSequence(TableDef table) {
        return readers.withReader(c -> {
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT coalesce(max(_seq), 0) FROM " + quote(table.name()))) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static StoredRow row(ResultSet rs, TableDef table) throws SQLException {
        return new StoredRow(
                RowValues.read(rs, table), rs.getLong(table.columns().size() + 1));
    }
}
