package dev.eider.store.postgres;

import static dev.eider.store.sql.Sql.quote;

import dev.eider.store.sql.Sql;
import dev.eider.table.Column;
import dev.eider.table.TableDef;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Collectors;

/** The PostgreSQL statements of ingest: staging tables and the merge that gives rows their sequence and transaction. */
final class PgSql {

    /** Serializes schema changes and export planning across instances (a transaction-scoped advisory lock). */
    static final long SCHEMA_LOCK = 0x45494445525f5343L;

    static final long PLANNING_LOCK = 0x45494445525f504cL;

    /** The sequence every row's {@code _seq} comes from, shared by all instances and tables. */
    static final String SEQUENCE = "_eider_seq";

    private PgSql() {}

    /** A temporary table for one transaction's rows of a table, dropped at its commit. */
    static String createStaging(TableDef t, String name) {
        return "CREATE TEMP TABLE " + quote(name) + " (" + Sql.columnDefinitions(t, PgDialect.INSTANCE)
                + ", _ord BIGINT NOT NULL, _deleted BOOLEAN NOT NULL) ON COMMIT DROP";
    }

    /**
     * Merges a staging table: the last row per key wins, rows go in key order (so that instances merging
     * overlapping keys lock them in the same order), each takes a sequence (a rewrite, once it holds the row's lock)
     * and is stamped with this
     * transaction's id ({@code _xid}), which exports compare with snapshots. Answers the highest sequence given.
     */
    static String merge(TableDef t, String staging) {
        String columns = Sql.columns(t);
        return "WITH m AS (INSERT INTO " + quote(t.name()) + " (" + columns + ", _seq, _deleted, _xid) SELECT "
                + columns + ", nextval('" + SEQUENCE + "'), _deleted, pg_current_xact_id() FROM (SELECT DISTINCT ON ("
                + Sql.key(t) + ") * FROM " + quote(staging) + " ORDER BY " + Sql.key(t) + ", _ord DESC) s ORDER BY "
                + Sql.key(t) + onConflict(t) + " RETURNING _seq) SELECT coalesce(max(_seq), 0) FROM m";
    }

    /**
     * The upsert's conflict clause. A rewrite takes its sequence once it holds the row's lock, after the
     * previous writer committed: one key's sequences follow commit order across instances.
     */
    static String onConflict(TableDef t) {
        String updates = t.columns().stream()
                .filter(c -> !c.name().equals(t.primaryKey()))
                .map(PgSql::assignExcluded)
                .collect(Collectors.joining(", "));
        return " ON CONFLICT (" + Sql.key(t) + ") DO UPDATE SET " + (updates.isEmpty() ? "" : updates + ", ")
                + "_seq = nextval('" + SEQUENCE + "'), _deleted = excluded._deleted, _xid = excluded._xid";
    }

    private static String assignExcluded(Column c) {
        return quote(c.name()) + " = excluded." + quote(c.name());
    }

    static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Deadlocks and serialization failures: nothing was committed, the same work may simply run again. */
    static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        return "40P01".equals(state) || "40001".equals(state);
    }
}
