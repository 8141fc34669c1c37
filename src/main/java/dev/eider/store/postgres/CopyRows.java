package dev.eider.store.postgres;

import dev.eider.store.StoreException;
import dev.eider.store.sql.StoredRowCsv;
import dev.eider.table.TableDef;
import java.sql.SQLException;
import org.postgresql.copy.CopyIn;

/**
 * Streams rows into a staging table through {@code COPY ... FROM STDIN (FORMAT csv)}: the declared
 * columns, then the row's position ({@code _ord}) and its tombstone flag. Memory stays at one row.
 */
final class CopyRows {

    private final TableDef table;
    private final CopyIn copy;
    private final StoredRowCsv csv;

    CopyRows(TableDef table, CopyIn copy) {
        this.table = table;
        this.copy = copy;
        this.csv = new StoredRowCsv(table);
    }

    /** The COPY statement for a staging table made by {@link PgSql#createStaging}. */
    static String statement(String staging) {
        return "COPY " + staging + " FROM STDIN (FORMAT csv)";
    }

    /** Adds a row (or a delete, when {@code values} is null: only the key). */
    void add(Object key, Object[] values, long ord) {
        int length = csv.encode(key, values, ord);
        try {
            copy.writeToCopy(csv.bytes(), 0, length);
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
}
