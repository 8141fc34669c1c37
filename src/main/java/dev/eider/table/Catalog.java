package dev.eider.table;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The set of tables this service knows, by name: the declared ones, and the original service's
 * {@code records} unless a declared table of that name replaces it, so that {@code POST /record}
 * keeps working when other tables are declared.
 */
public final class Catalog {

    private final Map<String, TableDef> tables = new LinkedHashMap<>();

    public Catalog(List<TableDef> declared) {
        for (TableDef t : declared) {
            if (tables.putIfAbsent(t.name(), t) != null) {
                throw new IllegalArgumentException("table '" + t.name() + "' is declared twice");
            }
        }
        tables.putIfAbsent(TableDef.DEFAULT.name(), TableDef.DEFAULT);
    }

    public Optional<TableDef> find(String name) {
        return Optional.ofNullable(tables.get(name));
    }

    /** The table or an {@link UnknownTableException} for the client. */
    public TableDef require(String name) {
        TableDef t = tables.get(name);
        if (t == null) {
            throw new UnknownTableException(name);
        }
        return t;
    }

    public Collection<TableDef> tables() {
        return tables.values();
    }
}
