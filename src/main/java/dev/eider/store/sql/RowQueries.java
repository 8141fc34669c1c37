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
    private final boolean boundPages;

    /**
     * @param boundPages whether a page's reads stop at its last key, looked up first ({@link #list}): for a
     *     database without an ordered index scan, whose {@code withCursor} reads in one snapshot
     */
    public RowQueries(Readers readers, boolean boundPages) {
        this.readers = readers;
        this.boundPages = boundPages;
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
     * fit.
     *
     * <p>With {@code boundPages}, the key one past the page is looked up first by the key column alone, and both
     * reads stop there, all in one snapshot. DuckDB has no ordered index scan: its top-N over {@code key > after}
     * reads every later row, and sorting the values along cost five times sorting the keys alone (10M rows:
     * 165–210 ms against 26–38 ms a query; bench/RESULTS.md); bounded, the reads decode values only near the
     * page's keys. PostgreSQL's B-tree reads the keys in order anyway; there the two reads may see different
     * commits, and each page is still rows in key order after {@code after}.
     */
    public RecordPage list(TableDef table, Object after, int limit, long maxBytes) {
        String lengths = textLengths(table);
        return readers.withCursor(c -> {
            Range range = new Range(after, boundPages ? lastKey(c, table, after, limit) : null);
            int fit = lengths == null
                    ? fixedRowsFitting(table, limit, maxBytes)
                    : rowsFitting(c, table, lengths, range, limit, maxBytes);
            return fit == 0 ? new RecordPage(List.of(), false) : page(c, table, range, fit);
        });
    }

    /** Keys above {@code after} (null: from the first) up to {@code last} (null: to the end). */
    private record Range(Object after, Object last) {

        String where(TableDef table) {
            return " WHERE NOT _deleted" + (after == null ? "" : " AND " + Sql.key(table) + " > ?")
                    + (last == null ? "" : " AND " + Sql.key(table) + " <= ?");
        }

        void bind(PreparedStatement ps) throws SQLException {
            int i = 1;
            if (after != null) {
                ps.setObject(i++, after);
            }
            if (last != null) {
                ps.setObject(i, last);
            }
        }
    }

    /** The key one past a full page after {@code after}, which tells that more follow; null when none is. */
    private static Object lastKey(Connection c, TableDef table, Object after, int limit) throws SQLException {
        Range from = new Range(after, null);
        String sql = "SELECT " + Sql.key(table) + " FROM " + quote(table.name()) + from.where(table) + " ORDER BY "
                + Sql.key(table) + " LIMIT 1 OFFSET " + limit;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            from.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1) : null;
            }
        }
    }

    /** Rows of the page whose text lengths fit in the bound; 0 when no row follows {@code after}. */
    private static int rowsFitting(Connection c, TableDef table, String lengths, Range range, int limit, long maxBytes)
            throws SQLException {
        String sql = "SELECT " + lengths + " FROM " + quote(table.name()) + range.where(table) + " ORDER BY "
                + Sql.key(table) + " LIMIT " + limit;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            range.bind(ps);
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

    private static RecordPage page(Connection c, TableDef table, Range range, int rows) throws SQLException {
        // One row past the page tells whether more follow (the bound, when there is one, is that row's key).
        String sql = "SELECT " + Sql.columns(table) + ", _seq FROM " + quote(table.name()) + range.where(table)
                + " ORDER BY " + Sql.key(table) + " LIMIT " + (rows + 1L);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            range.bind(ps);
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
