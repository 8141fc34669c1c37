package dev.eider.store.postgres;

import dev.eider.store.sql.ExportHistory;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Eider's export bookkeeping in PostgreSQL: the shared export history, plus each plan's snapshots
 * (the range it exports is the difference between them) and one lease per table.
 */
final class PgExportTables {

    private PgExportTables() {}

    static void create(Connection c) throws SQLException {
        ExportHistory.createTables(c);
        // The database's identity, in every manifest and head: a target holds one database's exports.
        PgSql.execute(c, "CREATE TABLE IF NOT EXISTS _eider_meta (database_id TEXT NOT NULL)");
        PgSql.execute(
                c,
                "INSERT INTO _eider_meta SELECT gen_random_uuid()::text WHERE NOT EXISTS (SELECT 1 FROM _eider_meta)");
        PgSql.execute(
                c,
                "CREATE TABLE IF NOT EXISTS _eider_export_snapshots (export_id BIGINT PRIMARY KEY, "
                        + "from_snapshot pg_snapshot, to_snapshot pg_snapshot NOT NULL)");
        PgSql.execute(
                c,
                "CREATE TABLE IF NOT EXISTS _eider_leases (table_name TEXT PRIMARY KEY, holder TEXT NOT NULL, "
                        + "epoch BIGINT NOT NULL, expires_at TIMESTAMPTZ NOT NULL)");
    }
}
