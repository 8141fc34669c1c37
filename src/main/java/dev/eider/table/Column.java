package dev.eider.table;

import java.util.Objects;

/** One declared column of a table. */
public record Column(String name, ColumnType type, boolean nullable) {

    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        TableDef.requireIdentifier(name, "column");
        if (type.kind() == ColumnType.Kind.FILE && !nullable) {
            throw new IllegalArgumentException("file column '" + name + "' is always nullable (a record starts without"
                    + " its file); remove nullable: false");
        }
    }
}
