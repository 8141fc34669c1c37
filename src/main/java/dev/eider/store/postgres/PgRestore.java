package dev.eider.store.postgres;

import static dev.eider.store.sql.Sql.quote;

import dev.eider.store.duckdb.ExportedRows;
import dev.eider.store.sql.SchemaRules;
import dev.eider.store.sql.Sql;
import dev.eider.table.TableDef;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.postgresql.PGConnection;

/** Loads one table's exported files into PostgreSQL, inside the caller's transaction. */
final class PgRestore {

    private PgRestore() {}

    static long table(
            Connection c, TableDef t, List<Path> snapshot, List<List<Path>> changes, long lastSeq, Path scratch)
            throws SQLException {
        String staging = "_eider_restore_" + Math.abs((long) t.name().hashCode());
        PgSql.execute(c, PgSql.createStaging(t, staging));
        CopyRows rows =
                new CopyRows(t, c.unwrap(PGConnection.class).getCopyAPI().copyIn(CopyRows.statement(quote(staging))));
        try {
            ExportedRows.forEach(
                    t,
                    snapshot,
                    changes,
                    scratch.resolve("restore.duckdb"),
                    (values, seq) -> rows.add(values[t.keyIndex()], values, seq));
            rows.finish();
        } catch (RuntimeException e) {
            rows.cancel();
            throw e;
        }
        String columns = Sql.columns(t);
        try (Statement st = c.createStatement()) {
            long loaded = st.executeUpdate("INSERT INTO " + quote(t.name()) + " (" + columns
                    + ", _seq, _deleted, _xid) SELECT " + columns + ", _ord, false, pg_current_xact_id() FROM "
                    + quote(staging));
            // The next write of any instance takes a sequence above everything restored.
            try (ResultSet rs = st.executeQuery("SELECT setval('" + PgSql.SEQUENCE + "', greatest("
                    + Math.max(1, lastSeq) + ", (SELECT last_value FROM " + PgSql.SEQUENCE + ")))")) {
                rs.next();
            }
            PgSql.execute(c, "DROP TABLE " + quote(staging));
            // Exports made under an older, nullable declaration may hold NULL: the next start checks again.
            SchemaRules.forgetNonNull(c, t);
            return loaded;
        }
    }
}
