package dev.eider.store.duckdb;

import static dev.eider.store.sql.Sql.quote;

import dev.eider.store.SchemaMismatchException;
import dev.eider.store.sql.Sql;
import dev.eider.table.Column;
import dev.eider.table.TableDef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the database in line with the declared tables at start: creates what is missing, adds
 * new nullable columns, and refuses any change that would lose or reinterpret data.
 */
final class DuckDbSchema {

    private static final Logger log = LoggerFactory.getLogger(DuckDbSchema.class);

    /**
     * The columns whose rows are known to hold no NULL: declared non-null when the table was created, or
     * checked when they became non-null. Writes keep them so, so a start scans a table only for a column that
     * has just turned non-null, not at every start.
     */
    static final String NON_NULL = "_eider_non_null";

    private final Connection connection;

    DuckDbSchema(Connection connection) {
        this.connection = connection;
    }

    void migrate(Collection<TableDef> tables) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS _eider_meta (last_seq BIGINT NOT NULL)");
            // Objects that a committed change stopped referencing, deleted later (docs/files.md).
            st.execute("CREATE TABLE IF NOT EXISTS " + Sql.FILE_OUTBOX
                    + " (object_key VARCHAR NOT NULL, table_name VARCHAR NOT NULL, seq BIGINT NOT NULL,"
                    + " released_at TIMESTAMPTZ NOT NULL)");
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM _eider_meta")) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    st.execute("INSERT INTO _eider_meta VALUES (0)");
                }
            }
            // The database's identity, fixed here once (a database made before identities gets one at its
            // first open) and kept in the database, so every process that opens it exports as one database.
            st.execute("ALTER TABLE _eider_meta ADD COLUMN IF NOT EXISTS database_id VARCHAR");
            st.execute("UPDATE _eider_meta SET database_id = CAST(uuid() AS VARCHAR) WHERE database_id IS NULL");
            st.execute(
                    "CREATE TABLE IF NOT EXISTS " + NON_NULL
                            + " (table_name VARCHAR NOT NULL, column_name VARCHAR NOT NULL, PRIMARY KEY (table_name, column_name))");
        }
        for (TableDef t : tables) {
            Map<String, String> existing = existingColumns(t.name());
            if (existing.isEmpty()) {
                create(t);
            } else {
                reconcile(t, existing);
            }
            rememberNonNull(t);
            createCompanions(t);
        }
    }

    private void create(TableDef t) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TABLE "
                    + quote(t.name())
                    + " ("
                    + Sql.columnDefinitions(t, DuckDbDialect.INSTANCE)
                    + ", _seq BIGINT NOT NULL, _deleted BOOLEAN NOT NULL, PRIMARY KEY ("
                    + Sql.key(t)
                    + "))");
        }
    }

    private void createCompanions(TableDef t) throws SQLException {
        try (Statement st = connection.createStatement()) {
            // Companions are derived state: recreate them so they always match the declared columns.
            st.execute("DROP TABLE IF EXISTS " + Sql.writerStage(t));
            st.execute("CREATE TABLE " + Sql.writerStage(t) + " (" + Sql.columnDefinitions(t, DuckDbDialect.INSTANCE)
                    + ", _seq BIGINT, _deleted BOOLEAN)");
            Map<String, String> pre = existingColumns("_eider_pre_" + t.name());
            if (!pre.isEmpty() && pre.size() != t.columns().size() + 2) {
                // A new column was added while an export was open; older preimages lack it.
                st.execute(
                        "ALTER TABLE " + Sql.preimages(t) + " RENAME TO " + quote("_eider_pre_" + t.name() + "_old"));
                st.execute("CREATE TABLE " + Sql.preimages(t) + " (" + Sql.columnDefinitions(t, DuckDbDialect.INSTANCE)
                        + ", _seq BIGINT NOT NULL, _deleted BOOLEAN NOT NULL, PRIMARY KEY (" + Sql.key(t) + "))");
                st.execute("INSERT INTO " + Sql.preimages(t) + " BY NAME SELECT * FROM "
                        + quote("_eider_pre_" + t.name() + "_old"));
                st.execute("DROP TABLE " + quote("_eider_pre_" + t.name() + "_old"));
            }
            st.execute("CREATE TABLE IF NOT EXISTS "
                    + Sql.preimages(t)
                    + " ("
                    + Sql.columnDefinitions(t, DuckDbDialect.INSTANCE)
                    + ", _seq BIGINT NOT NULL, _deleted BOOLEAN NOT NULL, PRIMARY KEY ("
                    + Sql.key(t)
                    + "))");
        }
    }

    private void reconcile(TableDef t, Map<String, String> existing) throws SQLException {
        List<String> problems = new ArrayList<>();
        String key = primaryKey(t.name());
        if (!t.primaryKey().equals(key)) {
            problems.add("the primary key is '" + key + "' in the database but '" + t.primaryKey() + "' is declared; "
                    + "declare primary_key: " + key + ", or export the table and reload it into a new table");
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
            } else if (!stored.equalsIgnoreCase(DuckDbDialect.INSTANCE.type(c.type())) && !sameType(stored, c)) {
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
            problems.addAll(nullsInNonNullColumns(t, newlyNonNull(t)));
        }
        if (!problems.isEmpty()) {
            throw new SchemaMismatchException(
                    "table '" + t.name() + "' does not match its declaration: " + String.join("; ", problems));
        }
        try (Statement st = connection.createStatement()) {
            for (Column c : added) {
                st.execute(
                        "ALTER TABLE " + quote(t.name()) + " ADD COLUMN " + Sql.definition(c, DuckDbDialect.INSTANCE));
            }
        }
    }

    /** The columns declared non-null that were not non-null at the previous start. */
    private List<Column> newlyNonNull(TableDef t) throws SQLException {
        Set<String> known = new java.util.HashSet<>();
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

    /** Records the declared non-null columns once the rows are known to fit them. */
    private void rememberNonNull(TableDef t) throws SQLException {
        try (PreparedStatement delete =
                        connection.prepareStatement("DELETE FROM " + NON_NULL + " WHERE table_name = ?");
                PreparedStatement insert = connection.prepareStatement("INSERT INTO " + NON_NULL + " VALUES (?, ?)")) {
            delete.setString(1, t.name());
            delete.executeUpdate();
            for (Column c : t.columns()) {
                if (!c.nullable()) {
                    insert.setString(1, t.name());
                    insert.setString(2, c.name());
                    insert.executeUpdate();
                }
            }
        }
    }

    /**
     * Columns among {@code strict} that hold NULL in live rows. The database keeps every column
     * nullable (tombstones carry only their key), so a declaration made stricter is checked against
     * the rows (one scan of the table); when none is NULL, there is nothing to migrate.
     */
    private List<String> nullsInNonNullColumns(TableDef t, List<Column> strict) throws SQLException {
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

    private static boolean sameType(String stored, Column c) {
        String s = stored.toUpperCase(Locale.ROOT);
        return switch (c.type().kind()) {
            case TIMESTAMP -> s.equals("TIMESTAMP WITH TIME ZONE");
            case FILE ->
                s.replace("\"", "").equals(DuckDbDialect.FILE.replace("\"", "").toUpperCase(Locale.ROOT));
            default -> false;
        };
    }

    private Map<String, String> existingColumns(String table) throws SQLException {
        Map<String, String> columns = new LinkedHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = ? ORDER BY column_index")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return columns;
    }

    private String primaryKey(String table) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT constraint_column_names FROM duckdb_constraints() WHERE schema_name = 'main' AND table_name = ? AND constraint_type = 'PRIMARY KEY'")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return "(none)";
                }
                Object[] names = (Object[]) rs.getArray(1).getArray();
                return names.length == 1 ? names[0].toString() : java.util.Arrays.toString(names);
            }
        }
    }

    /** Drops staged rows that no write-ahead log entry refers to any more. */
    void dropLeftoverStages(Statement st) throws SQLException {
        List<String> leftovers = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(
                "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '\\_eider\\_stage\\_r%' ESCAPE '\\'")) {
            while (rs.next()) {
                leftovers.add(rs.getString(1));
            }
        }
        for (String t : leftovers) {
            st.execute("DROP TABLE " + quote(t));
        }
    }
}
