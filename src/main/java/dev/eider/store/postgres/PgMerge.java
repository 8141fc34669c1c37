package dev.eider.store.postgres;

import dev.eider.table.TableDef;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;

/** Runs a staging table's merge inside the caller's transaction, again after a deadlock with another instance. */
final class PgMerge {

    private static final int ATTEMPTS = 8;

    private PgMerge() {}

    /** Answers the highest sequence the merge gave (0 when it merged nothing). */
    static long mergeWithRetry(Connection c, TableDef t, String staging) throws SQLException {
        String sql = PgSql.merge(t, staging);
        for (int attempt = 1; ; attempt++) {
            Savepoint before = c.setSavepoint();
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                long last = rs.getLong(1);
                c.releaseSavepoint(before);
                return last;
            } catch (SQLException e) {
                if (!PgSql.retryable(e) || attempt == ATTEMPTS) {
                    throw e;
                }
                // PostgreSQL chose this transaction as a deadlock victim; its staged rows are intact.
                c.rollback(before);
            }
        }
    }
}
