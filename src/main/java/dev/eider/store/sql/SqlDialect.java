package dev.eider.store.sql;

import dev.eider.table.ColumnType;

/** What differs between the SQL databases Eider stores records in, for the SQL shared in this package. */
public interface SqlDialect {

    /** The SQL type that stores a declared column type. */
    String type(ColumnType type);
}
