package dev.eider.table;

import java.util.Objects;

/** One declared column of a table. */
public record Column(String name, ColumnType type, boolean nullable) {

    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        TableDef.requireIdentifier(name, "column");
    }
}
