package dev.eider.store.postgres;

import dev.eider.store.StagedRows;
import dev.eider.store.StoreException;
import dev.eider.table.TableDef;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * Rows of one large request, streamed with {@code COPY} into a temporary table inside a transaction
 * of their own, which then merges them and commits: nothing of it outlives a crash, and no other
 * instance can see or drop it.
 */
final class PgStage implements StagedRows {

    private final TableDef table;
    private final Connection connection;
    private final String name;
    private CopyRows rows;
    private long size;
    private boolean open = true;

    PgStage(TableDef table, DataSource pool) {
        this.table = table;
        this.name = "_eider_stage_r_" + UUID.randomUUID().toString().replace("-", "");
        try {
            this.connection = pool.getConnection();
        } catch (SQLException e) {
            throw new StoreException("cannot stage rows for " + table.name() + ": " + e.getMessage(), e);
        }
        try {
            connection.setAutoCommit(false);
            PgSql.execute(connection, PgSql.createStaging(table, name));
            rows = new CopyRows(
                    table, connection.unwrap(PGConnection.class).getCopyAPI().copyIn(CopyRows.statement(name)));
        } catch (SQLException e) {
            close();
            throw new StoreException("cannot stage rows for " + table.name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public TableDef table() {
        return table;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void add(Object key, Object[] values) {
        rows.add(key, values, size++);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void seal() {
        if (rows != null) {
            rows.finish();
            rows = null;
        }
    }

    /** Merges the staged rows in their own transaction and commits; answers the highest sequence given. */
    long commit() throws SQLException {
        seal();
        long last = PgMerge.mergeWithRetry(connection, table, name);
        connection.commit();
        return last;
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        try (Connection c = connection) {
            if (rows != null) {
                rows.cancel();
            }
            c.rollback();
        } catch (SQLException e) {
            // The connection goes back to the pool (or is evicted) either way; the temporary table dies with the
            // transaction.
        }
    }
}
