package dev.eider.store.duckdb;

import static dev.eider.store.sql.Sql.quote;

import dev.eider.store.StagedRows;
import dev.eider.store.StoreException;
import dev.eider.store.sql.Sql;
import dev.eider.table.TableDef;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBSingleValueAppender;

/**
 * Rows of one large request, appended into a table of their own on the request's own connection so
 * that the body streams into the database instead of into memory.
 */
final class DuckDbStage implements StagedRows {

    private final TableDef table;
    private final DuckDBConnection connection;
    private final String name;

    @SuppressWarnings("deprecation") // RowCodec says why this appender
    private DuckDBSingleValueAppender appender;

    private long size;
    private Object lastKey;
    private boolean keysIncrease;

    /** Rows staged before a restart: already sealed, only to be merged and dropped. */
    DuckDbStage(TableDef table, DuckDBConnection connection, String name, long size) {
        this.table = table;
        this.connection = connection;
        this.name = name;
        this.size = size;
    }

    DuckDbStage(TableDef table, DuckDBConnection connection) {
        this.table = table;
        this.connection = connection;
        this.name = "_eider_stage_r_" + UUID.randomUUID().toString().replace("-", "");
        try (Statement st = connection.createStatement()) {
            // One transaction for the whole stage: in autocommit the appender committed (and
            // fsynced DuckDB's log) at every 2,048-row chunk. Full row groups are written to the
            // database file as they fill, so the open transaction does not hold the rows in memory.
            connection.setAutoCommit(false);
            st.execute("CREATE TABLE " + quote(name) + " (" + Sql.columnDefinitions(table, DuckDbDialect.INSTANCE)
                    + ", _ord BIGINT, _deleted BOOLEAN)");
            appender = connection.createSingleValueAppender("main", name);
            keysIncrease = true;
        } catch (SQLException e) {
            closeQuietly();
            throw new StoreException("cannot stage rows for " + table.name(), e);
        }
    }

    @Override
    public TableDef table() {
        return table;
    }

    String tableName() {
        return quote(name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void add(Object key, Object[] values) {
        keysIncrease = keysIncrease && (lastKey == null || after(key, lastKey));
        lastKey = key;
        try {
            RowCodec.appendStored(appender, table, key, values, size++);
        } catch (SQLException e) {
            throw new StoreException("cannot stage a row for " + table.name(), e);
        }
    }

    /**
     * Whether each row's key came after the one before (so none repeats): a request sorted by key, as
     * bulk loads often are, is merged without first looking for repeated keys. False after a restart.
     */
    boolean keysIncrease() {
        return keysIncrease;
    }

    private static boolean after(Object key, Object last) {
        if (key instanceof Long k && last instanceof Long l) {
            return k > l;
        }
        if (key instanceof String k && last instanceof String l) {
            return k.compareTo(l) > 0;
        }
        return false;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void seal() {
        try {
            appender.close();
            appender = null;
            // Durable before the write-ahead log entry that refers to it is written.
            connection.commit();
        } catch (SQLException e) {
            throw new StoreException("cannot stage rows for " + table.name(), e);
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            if (appender != null) {
                appender.close();
            }
        } catch (SQLException ignored) {
            // The stage is being discarded.
        }
        try (Statement st = connection.createStatement()) {
            if (!connection.getAutoCommit()) {
                // Rows not sealed yet were never committed; a sealed stage is dropped and committed.
                connection.rollback();
            }
            st.execute("DROP TABLE IF EXISTS " + quote(name));
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        } catch (SQLException ignored) {
            // Left over stages are dropped at the next start.
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Nothing more to release.
        }
    }
}
