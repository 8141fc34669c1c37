package dev.eider.store.duckdb;

import dev.eider.store.sql.Sql;
import dev.eider.table.ColumnType;
import dev.eider.table.TableDef;
import java.util.Collection;
import java.util.Optional;

/**
 * A few primary keys written as an SQL {@code IN} list that DuckDB answers from the table's
 * primary-key index, so that replacing a few rows costs a few index lookups however large the
 * table is.
 *
 * <p>Three planner rules shape the list (DuckDB 2.0, checked by {@code KeyListTest}): an index is
 * scanned only while a filter matches at most {@code index_scan_max_count} rows (2,048), so a list
 * holds at most {@link #MAX_KEYS} keys; a list of consecutive integers becomes a range filter, which
 * scans the whole table, so the list repeats its first key (a repeated key is not consecutive and
 * matches nothing more); and the filter must be the scan's only one, so callers filter further
 * above it.
 */
final class KeyList {

    /**
     * Keys in one list: under DuckDB's default {@code index_scan_max_count} of 2,048 matching rows.
     * Past about this many keys a join that reads the table's key column once is cheaper anyway:
     * parsing, binding and optimising a list costs about 15 µs per key (bench/RESULTS.md).
     */
    static final int MAX_KEYS = 2_000;

    private KeyList() {}

    /**
     * The keys as one parenthesised {@code IN} list, or empty when there are more than {@link
     * #MAX_KEYS} of them or a key cannot be written as a literal (a string holding NUL, which
     * DuckDB's parser would cut).
     */
    static Optional<String> of(TableDef table, Collection<?> keys) {
        if (keys.isEmpty() || keys.size() > MAX_KEYS) {
            return Optional.empty();
        }
        boolean strings = table.columns().get(table.keyIndex()).type().kind() == ColumnType.Kind.STRING;
        StringBuilder sql = new StringBuilder("(");
        String first = null;
        for (Object key : keys) {
            String literal = strings ? stringLiteral((String) key) : Long.toString(((Number) key).longValue());
            if (literal == null) {
                return Optional.empty();
            }
            if (first == null) {
                first = literal;
            } else {
                sql.append(", ");
            }
            sql.append(literal);
        }
        return Optional.of(sql.append(", ").append(first).append(')').toString());
    }

    private static String stringLiteral(String s) {
        if (s.indexOf('\0') >= 0) {
            return null;
        }
        return Sql.literal(s);
    }
}
