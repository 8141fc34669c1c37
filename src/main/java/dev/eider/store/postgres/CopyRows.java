package dev.eider.store.postgres;

import dev.eider.store.StoreException;
import dev.eider.table.TableDef;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.postgresql.copy.CopyIn;

/**
 * Streams rows into a staging table through {@code COPY ... FROM STDIN (FORMAT csv)}: the declared
 * columns, then the row's position ({@code _ord}) and its tombstone flag. Memory stays at one row.
 */
final class CopyRows {

    private final TableDef table;
    private final CopyIn copy;
    private final StringBuilder line = new StringBuilder(256);

    CopyRows(TableDef table, CopyIn copy) {
        this.table = table;
        this.copy = copy;
    }

    /** The COPY statement for a staging table made by {@link PgSql#createStaging}. */
    static String statement(String staging) {
        return "COPY " + staging + " FROM STDIN (FORMAT csv)";
    }

    /** Adds a row (or a delete, when {@code values} is null: only the key). */
    void add(Object key, Object[] values, long ord) {
        line.setLength(0);
        for (int i = 0; i < table.columns().size(); i++) {
            Object v = values == null ? (i == table.keyIndex() ? key : null) : values[i];
            field(v);
            line.append(',');
        }
        line.append(ord).append(',').append(values == null ? "t" : "f").append('\n');
        byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
        try {
            copy.writeToCopy(bytes, 0, bytes.length);
        } catch (SQLException e) {
            throw new StoreException("cannot stream rows into " + table.name() + ": " + e.getMessage(), e);
        }
    }

    long finish() {
        try {
            return copy.endCopy();
        } catch (SQLException e) {
            throw new StoreException("cannot stream rows into " + table.name() + ": " + e.getMessage(), e);
        }
    }

    /** Abandons the copy (a request that failed while streaming). */
    void cancel() throws SQLException {
        if (copy.isActive()) {
            copy.cancelCopy();
        }
    }

    private void field(Object v) {
        if (v == null) {
            return; // an unquoted empty field is NULL in CSV COPY
        }
        if (v instanceof BigDecimal d) {
            line.append(d.toPlainString());
        } else if (v instanceof Boolean b) {
            line.append(b ? 't' : 'f');
        } else if (v instanceof Long || v instanceof Double) {
            line.append(v);
        } else {
            // Strings, JSON, timestamps (ISO-8601 with Z) and dates, quoted so "" stays an empty string.
            String s = v.toString();
            line.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"') {
                    line.append('"');
                }
                line.append(c);
            }
            line.append('"');
        }
    }
}
