package dev.eider.store;

import dev.eider.table.TableDef;
import java.util.Objects;

/**
 * One upsert or delete of a row, validated against its table.
 *
 * @param values the row's values in column order, or null for a delete
 */
public record Mutation(TableDef table, Object key, Object[] values) {

    public Mutation {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(key, "key");
    }

    public static Mutation upsert(TableDef table, Object[] values) {
        return new Mutation(table, values[table.keyIndex()], values);
    }

    public static Mutation delete(TableDef table, Object key) {
        return new Mutation(table, key, null);
    }

    public boolean isDelete() {
        return values == null;
    }
}
