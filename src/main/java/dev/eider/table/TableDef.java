package dev.eider.table;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A declared table: its name, typed columns and the single column that is its primary key.
 */
public record TableDef(String name, List<Column> columns, String primaryKey) {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    /** The table that exists when none is declared: the original service's {@code records}. */
    public static final TableDef DEFAULT = new TableDef(
            "records",
            List.of(new Column("id", ColumnType.INT64, false), new Column("value", ColumnType.STRING, false)),
            "id");

    public TableDef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(primaryKey, "primaryKey");
        requireIdentifier(name, "table");
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("table '" + name + "' declares no columns");
        }
        Set<String> seen = new HashSet<>();
        for (Column c : columns) {
            if (!seen.add(c.name())) {
                throw new IllegalArgumentException("table '" + name + "' declares column '" + c.name() + "' twice");
            }
        }
        Column key = columns.stream()
                .filter(c -> c.name().equals(primaryKey))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "table '" + name + "': primary key '" + primaryKey + "' is not a declared column"));
        if (key.nullable()) {
            throw new IllegalArgumentException(
                    "table '" + name + "': primary key '" + primaryKey + "' cannot be nullable");
        }
        if (key.type().kind() != ColumnType.Kind.INT64 && key.type().kind() != ColumnType.Kind.STRING) {
            throw new IllegalArgumentException("table '" + name + "': primary key '" + primaryKey
                    + "' must be int64 or string, not " + key.type());
        }
    }

    static void requireIdentifier(String name, String what) {
        if (!IDENTIFIER.matcher(name).matches() || name.startsWith("_")) {
            throw new IllegalArgumentException(
                    what + " name '" + name + "' must match [a-z][a-z0-9_]* and be at most 63 characters"
                            + (name.startsWith("_")
                                    ? "; names starting with _ are reserved for Eider's own columns (_seq, _op)"
                                    : ""));
        }
    }

    public Column key() {
        return columns.get(keyIndex());
    }

    public int keyIndex() {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(primaryKey)) {
                return i;
            }
        }
        throw new IllegalStateException("unreachable: key checked in constructor");
    }

    /** The index of a column by name, or -1. */
    public int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return i;
            }
        }
        return -1;
    }
}
