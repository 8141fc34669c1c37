package dev.eider.store.duckdb;

import static dev.eider.store.sql.Sql.quote;

import dev.eider.store.sql.SchemaRules;
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

/**
 * Brings the database in line with the declared tables at start: creates what is missing, adds
 * new nullable columns, and refuses any change that would lose or reinterpret data.
 */
final class DuckDbSchema {

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
        }
        SchemaRules.createNonNullTable(connection);
        for (TableDef t : tables) {
            Map<String, String> existing = existingColumns(t.name());
            if (existing.isEmpty()) {
                create(t);
            } else {
                reconcile(t, existing);
            }
            SchemaRules.rememberNonNull(connection, t);
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
            // Rows gathered before a restart go too: the write-ahead log replays them (Gatherer).
            for (String stage : List.of(Sql.writerStage(t), Sql.gathered(t))) {
                st.execute("DROP TABLE IF EXISTS " + stage);
                st.execute("CREATE TABLE " + stage + " (" + Sql.columnDefinitions(t, DuckDbDialect.INSTANCE)
                        + ", _seq BIGINT, _deleted BOOLEAN)");
            }
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
        List<Column> added = SchemaRules.columnsToAdd(
                connection,
                t,
                existing,
                primaryKey(t.name()),
                (stored, c) -> stored.equalsIgnoreCase(DuckDbDialect.INSTANCE.type(c.type())) || sameType(stored, c));
        try (Statement st = connection.createStatement()) {
            for (Column c : added) {
                st.execute(
                        "ALTER TABLE " + quote(t.name()) + " ADD COLUMN " + Sql.definition(c, DuckDbDialect.INSTANCE));
            }
        }
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
