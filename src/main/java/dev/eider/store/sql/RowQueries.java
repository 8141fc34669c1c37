package dev.eider.store.sql;

import static dev.eider.store.sql.Sql.quote;

import dev.eider.store.HeapSize;
import dev.eider.store.RecordPage;
import dev.eider.store.StoredRow;
import dev.eider.table.Column;
import dev.eider.table.ColumnType;
import dev.eider.table.TableDef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

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

    /**
     * A page of rows in key order. The page stops at {@code limit} rows or once its rows hold {@code maxBytes} of
     * heap ({@link HeapSize}), and that bound must hold before the values are read: a database hands its driver
     * rows a vector at a time (DuckDB: 2,048 rows, each Java strings once fetched), so a query that could return
     * {@code limit} large values would fill the heap whatever this method then kept. So a table with text columns
     * is first asked only for its rows' text lengths, and the values are then read with a limit of the rows that
     * fit. The two reads may see different commits; each page is still rows in key order after {@code after}.
     */
    public RecordPage list(TableDef table, Object after, int limit, long maxBytes) {
        String lengths = textLengths(table);
        return readers.withCursor(c -> {
            int fit = lengths == null
                    ? fixedRowsFitting(table, limit, maxBytes)
                    : rowsFitting(c, table, lengths, after, limit, maxBytes);
            return fit == 0 ? new RecordPage(List.of(), false) : page(c, table, after, fit);
        });
    }

    /** Rows of the page whose text lengths fit in the bound; 0 when no row follows {@code after}. */
    private static int rowsFitting(Connection c, TableDef table, String lengths, Object after, int limit, long maxBytes)
            throws SQLException {
        String sql = "SELECT " + lengths + " FROM " + quote(table.name()) + after(table, after) + " ORDER BY "
                + Sql.key(table) + " LIMIT " + limit;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bindAfter(ps, after);
            int columns = table.columns().size();
            int texts = textColumns(table);
            int rows = 0;
            long bytes = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (bytes < maxBytes && rs.next()) {
                    bytes += HeapSize.ofRow(columns, texts, rs.getLong(1));
                    rows++;
                }
            }
            return rows;
        }
    }

    private static int fixedRowsFitting(TableDef table, int limit, long maxBytes) {
        long row = HeapSize.ofRow(table.columns().size(), 0, 0);
        return (int) Math.min(limit, (maxBytes + row - 1) / row);
    }

    private static RecordPage page(Connection c, TableDef table, Object after, int rows) throws SQLException {
        // One row past the page tells whether more follow.
        String sql = "SELECT " + Sql.columns(table) + ", _seq FROM " + quote(table.name()) + after(table, after)
                + " ORDER BY " + Sql.key(table) + " LIMIT " + (rows + 1L);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bindAfter(ps, after);
            ps.setFetchSize(FETCH_ROWS);
            List<StoredRow> page = new ArrayList<>(rows);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (page.size() == rows) {
                        return new RecordPage(page, true);
                    }
                    page.add(row(rs, table));
                }
            }
            return new RecordPage(page, false);
        }
    }

    private static String after(TableDef table, Object after) {
        return " WHERE NOT _deleted" + (after == null ? "" : " AND " + Sql.key(table) + " > ?");
    }

    private static void bindAfter(PreparedStatement ps, Object after) throws SQLException {
        if (after != null) {
            ps.setObject(1, after);
        }
    }

    /** The sum of a row's text lengths in characters, as SQL; null when the table has no text columns. */
    private static String textLengths(TableDef table) {
        String sum = table.columns().stream()
                .filter(RowQueries::isText)
                .map(col -> "coalesce(length(CAST(" + quote(col.name()) + " AS VARCHAR)), 0)")
                .collect(Collectors.joining(" + "));
        return sum.isEmpty() ? null : sum;
    }

    private static int textColumns(TableDef table) {
        return (int) table.columns().stream().filter(RowQueries::isText).count();
    }

    private static boolean isText(Column column) {
        ColumnType.Kind kind = column.type().kind();
        return kind == ColumnType.Kind.STRING || kind == ColumnType.Kind.JSON;
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
