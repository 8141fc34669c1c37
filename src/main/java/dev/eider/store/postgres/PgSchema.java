package dev.eider.store.postgres;

import static dev.eider.store.sql.Sql.quote;

import dev.eider.store.sql.SchemaRules;
import dev.eider.store.sql.Sql;
import dev.eider.table.Column;
import dev.eider.table.TableDef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Brings the database in line with the declared tables at start, under an advisory lock so that
 * instances starting together do not race: Eider's own tables and sequence, then each declared
 * table created or migrated by {@link SchemaRules}, the same rules as on DuckDB.
 */
final class PgSchema {

    private PgSchema() {}

    static void migrate(DataSource pool, Collection<TableDef> tables) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                lock(c, PgSql.SCHEMA_LOCK);
                PgSql.execute(c, "CREATE SEQUENCE IF NOT EXISTS " + PgSql.SEQUENCE);
                SchemaRules.createNonNullTable(c);
                for (TableDef t : tables) {
                    Map<String, String> existing = existingColumns(c, t.name());
                    if (existing.isEmpty()) {
                        create(c, t);
                    } else {
                        for (Column added : SchemaRules.columnsToAdd(
                                c, t, existing, primaryKey(c, t.name()), PgDialect::sameType)) {
                            PgSql.execute(
                                    c,
                                    "ALTER TABLE " + quote(t.name()) + " ADD COLUMN "
                                            + Sql.definition(added, PgDialect.INSTANCE));
                        }
                    }
                    SchemaRules.rememberNonNull(c, t);
                }
                PgExportTables.create(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    static void lock(Connection c, long key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, key);
            ps.execute();
        }
    }

    private static void create(Connection c, TableDef t) throws SQLException {
        PgSql.execute(
                c,
                "CREATE TABLE " + quote(t.name()) + " (" + Sql.columnDefinitions(t, PgDialect.INSTANCE)
                        + ", _seq BIGINT NOT NULL, _deleted BOOLEAN NOT NULL, _xid xid8 NOT NULL, PRIMARY KEY ("
                        + Sql.key(t) + "))");
        // Change exports look for rows written after a snapshot's xmin.
        PgSql.execute(c, "CREATE INDEX " + quote("_eider_xid_" + t.name()) + " ON " + quote(t.name()) + " (_xid)");
    }

    private static Map<String, String> existingColumns(Connection c, String table) throws SQLException {
        Map<String, String> columns = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = to_regclass(?) "
                        + "AND attnum > 0 AND NOT attisdropped ORDER BY attnum")) {
            ps.setString(1, quote(table));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return columns;
    }

    private static String primaryKey(Connection c, String table) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                        + "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = to_regclass(?) AND i.indisprimary")) {
            ps.setString(1, quote(table));
            try (ResultSet rs = ps.executeQuery()) {
                StringBuilder names = new StringBuilder();
                while (rs.next()) {
                    names.append(names.length() == 0 ? "" : ", ").append(rs.getString(1));
                }
                return names.length() == 0 ? "(none)" : names.toString();
            }
        }
    }
}
