package dev.eider.store.duckdb;

import dev.eider.table.ColumnType;
import dev.eider.table.TableDef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Primary keys written as SQL {@code IN} lists that DuckDB answers from the table's primary-key
 * index, so that replacing a few rows costs a few index lookups however large the table is.
 *
 * <p>Three planner rules shape the lists (DuckDB 2.0, checked by {@code KeyListsTest}): an index is
 * scanned only while a filter matches at most {@code index_scan_max_count} rows (2,048), so lists
 * hold at most {@link #CHUNK} keys; a list of consecutive integers becomes a range filter, which
 * scans the whole table, so every list repeats its first key (a repeated key is not consecutive and
 * matches nothing more); and the filter must be the scan's only one, so callers filter further
 * above it.
 */
final class KeyLists {

    /** Keys per list: under DuckDB's default {@code index_scan_max_count} of 2,048 matching rows. */
    static final int CHUNK = 2_000;

    private KeyLists() {}

    /**
     * The keys as parenthesised {@code IN} lists of at most {@link #CHUNK} keys each, or empty when
     * a key cannot be written as a literal (a string holding NUL, which DuckDB's parser would cut).
     */
    static Optional<List<String>> of(TableDef table, Collection<?> keys) {
        boolean strings = table.columns().get(table.keyIndex()).type().kind() == ColumnType.Kind.STRING;
        List<String> lists = new ArrayList<>(keys.size() / CHUNK + 1);
        Iterator<?> it = keys.iterator();
        while (it.hasNext()) {
            StringBuilder sql = new StringBuilder("(");
            String first = null;
            for (int n = 0; n < CHUNK && it.hasNext(); n++) {
                String literal =
                        strings ? stringLiteral((String) it.next()) : Long.toString(((Number) it.next()).longValue());
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
            lists.add(sql.append(", ").append(first).append(')').toString());
        }
        return Optional.of(lists);
    }

    private static String stringLiteral(String s) {
        if (s.indexOf('\0') >= 0) {
            return null;
        }
        // DuckDB's string literals take backslashes as they are; only the quote is doubled.
        return "'" + s.replace("'", "''") + "'";
    }
}
