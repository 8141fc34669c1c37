package dev.eider.store.sql;

import static dev.eider.store.sql.Sql.quote;

import dev.eider.store.SchemaMismatchException;
import dev.eider.table.Column;
import dev.eider.table.TableDef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The migration rules every database follows at start: a declared table may gain nullable columns;
 * any change that would lose or reinterpret data (a new key, a changed type, a column no longer
 * declared) stops the start with what to do instead.
 */
public final class SchemaRules {

    private static final Logger log = LoggerFactory.getLogger(SchemaRules.class);

    /**
     * The columns whose rows are known to hold no NULL: declared non-null when the table was created, or
     * checked when they became non-null. Writes keep them so, so a start scans a table only for a column that
     * has just turned non-null, not at every start.
     */
    public static final String NON_NULL = "_eider_non_null";

    private SchemaRules() {}

    /**
     * The columns to add to bring a stored table in line with its declaration.
     *
     * @param existing the stored columns and their types as the database names them
     * @param storedKey the stored primary key column
     * @param sameType whether a stored type holds a declared column as declared
     * @throws SchemaMismatchException naming every problem at once
     */
    public static List<Column> columnsToAdd(
            Connection connection,
            TableDef t,
            Map<String, String> existing,
            String storedKey,
            BiPredicate<String, Column> sameType)
            throws SQLException {
        List<String> problems = new ArrayList<>();
        if (!t.primaryKey().equals(storedKey)) {
            problems.add("the primary key is '" + storedKey + "' in the database but '" + t.primaryKey()
                    + "' is declared; declare primary_key: " + storedKey
                    + ", or export the table and reload it into a new table");
        }
        List<Column> added = new ArrayList<>();
        for (Column c : t.columns()) {
            String stored = existing.get(c.name());
            if (stored == null) {
                if (!c.nullable()) {
                    problems.add("new column '" + c.name()
                            + "' must be declared nullable: true (existing rows have no value for it)");
                } else {
                    added.add(c);
                }
            } else if (!sameType.test(stored, c)) {
                problems.add("column '" + c.name() + "' is " + stored + " in the database but declared " + c.type()
                        + "; changing a column's type is not supported: declare it as before, or add a new column");
            }
        }
        for (String stored : existing.keySet()) {
            if (!stored.startsWith("_") && t.indexOf(stored) < 0) {
                problems.add("column '" + stored
                        + "' exists in the database but is not declared; declare it again, or drop it with "
                        + "ALTER TABLE " + t.name() + " DROP COLUMN " + stored + " while Eider is stopped");
            }
        }
        if (problems.isEmpty()) {
            problems.addAll(nullsInNonNullColumns(connection, t, newlyNonNull(connection, t)));
        }
        if (!problems.isEmpty()) {
            throw new SchemaMismatchException(
                    "table '" + t.name() + "' does not match its declaration: " + String.join("; ", problems));
        }
        return added;
    }

    /** Creates the table of columns known to hold no NULL (see {@link #NON_NULL}). */
    public static void createNonNullTable(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + NON_NULL + " (table_name VARCHAR NOT NULL, "
                    + "column_name VARCHAR NOT NULL, PRIMARY KEY (table_name, column_name))");
        }
    }

    /** The columns declared non-null that were not non-null at the previous start. */
    private static List<Column> newlyNonNull(Connection connection, TableDef t) throws SQLException {
        Set<String> known = new HashSet<>();
        try (PreparedStatement ps =
                connection.prepareStatement("SELECT column_name FROM " + NON_NULL + " WHERE table_name = ?")) {
            ps.setString(1, t.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    known.add(rs.getString(1));
                }
            }
        }
        return t.columns().stream()
                .filter(c -> !c.nullable() && !known.contains(c.name()))
                .toList();
    }

    /** Records the declared non-null columns once the rows are known to fit them (after a successful start). */
    public static void rememberNonNull(Connection connection, TableDef t) throws SQLException {
        forgetNonNull(connection, t);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + NON_NULL + " VALUES (?, ?)")) {
            for (Column c : t.columns()) {
                if (!c.nullable()) {
                    insert.setString(1, t.name());
                    insert.setString(2, c.name());
                    insert.executeUpdate();
                }
            }
        }
    }

    /** Forgets what is known of a table's rows (they were replaced, e.g. by a restore): the next start checks them. */
    public static void forgetNonNull(Connection connection, TableDef t) throws SQLException {
        try (PreparedStatement delete =
                connection.prepareStatement("DELETE FROM " + NON_NULL + " WHERE table_name = ?")) {
            delete.setString(1, t.name());
            delete.executeUpdate();
        }
    }

    /**
     * Columns among {@code strict} that hold NULL in live rows. The database keeps every column
     * nullable (tombstones carry only their key), so a declaration made stricter is checked against
     * the rows (one scan of the table); when none is NULL, there is nothing to migrate.
     */
    private static List<String> nullsInNonNullColumns(Connection connection, TableDef t, List<Column> strict)
            throws SQLException {
        List<String> problems = new ArrayList<>();
        if (strict.isEmpty()) {
            return problems;
        }
        log.atInfo()
                .addKeyValue("event", "non_null_check")
                .addKeyValue("table", t.name())
                .addKeyValue(
                        "columns",
                        String.join(",", strict.stream().map(Column::name).toList()))
                .log("checking existing rows for NULL in columns now declared non-null");
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < strict.size(); i++) {
            sql.append(i == 0 ? "" : ", ")
                    .append("count(*) FILTER (WHERE ")
                    .append(quote(strict.get(i).name()))
                    .append(" IS NULL)");
        }
        sql.append(" FROM ").append(quote(t.name())).append(" WHERE NOT _deleted");
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery(sql.toString())) {
            rs.next();
            for (int i = 0; i < strict.size(); i++) {
                long nulls = rs.getLong(i + 1);
                String c = strict.get(i).name();
                if (nulls > 0) {
                    problems.add(
                            "column '" + c + "' is declared non-null but " + nulls + " row(s) hold NULL in it; "
                                    + "declare it nullable: true (for the default table, declare table '" + t.name()
                                    + "' under tables), or keep it nullable until every row has been written again with a value");
                }
            }
        }
        return problems;
    }
}
