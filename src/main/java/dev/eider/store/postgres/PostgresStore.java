package dev.eider.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eider.config.StoreConfig;
import dev.eider.store.Mutation;
import dev.eider.store.RecordPage;
import dev.eider.store.RecordStore;
import dev.eider.store.StagedRows;
import dev.eider.store.StoreException;
import dev.eider.store.StoredRow;
import dev.eider.store.WriteBatch;
import dev.eider.store.sql.Readers;
import dev.eider.store.sql.RowQueries;
import dev.eider.store.sql.SqlWork;
import dev.eider.table.Catalog;
import dev.eider.table.TableDef;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * The {@link RecordStore} on a PostgreSQL database that several Eider instances share. Writes commit
 * straight into PostgreSQL ({@link #commit}), one transaction per group of requests, and take their
 * sequences from a database {@code SEQUENCE}; each row also carries the id of the transaction that
 * wrote it ({@code _xid}), which exports compare with snapshots. Reads and writes share a fixed
 * HikariCP pool.
 */
public final class PostgresStore implements RecordStore, Readers {

    private static final int ATTEMPTS = 8;

    /** Rows of one table in one transaction above which they go by COPY through a temporary table. */
    private static final int COPY_ABOVE = 2_000;

    private final HikariDataSource pool;
    private final RowQueries rows;

    private PostgresStore(HikariDataSource pool) {
        this.pool = pool;
        this.rows = new RowQueries(this, false);
    }

    /** Connects, and creates or migrates Eider's tables and the declared ones. */
    public static PostgresStore open(StoreConfig.Postgres config, Catalog catalog) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.url());
        if (config.user() != null) {
            hikari.setUsername(config.user());
        }
        if (config.password() != null) {
            hikari.setPassword(config.password());
        }
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setMinimumIdle(config.poolSize());
        hikari.setPoolName("eider-postgres");
        // Fail a request within seconds when the database is down (503, retry), rather than after
        // HikariCP's default of 30 s.
        hikari.setConnectionTimeout(3_000);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to " + config.describe() + ": " + rootMessage(e), e);
        }
        try {
            PgSchema.migrate(pool, catalog.tables());
            return new PostgresStore(pool);
        } catch (SQLException | RuntimeException e) {
            pool.close();
            if (e instanceof RuntimeException r && !(e instanceof StoreException)) {
                throw r;
            }
            throw new StoreException("cannot prepare " + config.describe() + ": " + e.getMessage(), e);
        }
    }

    DataSource pool() {
        return pool;
    }

    /**
     * Commits requests' rows in order: consecutive in-memory requests in one transaction, a staged
     * request in its own (which streamed its rows already). Answers the highest sequence given.
     */
    public long commit(List<WriteBatch.Part> parts) {
        long last = 0;
        List<WriteBatch.Rows> group = new ArrayList<>();
        try {
            for (WriteBatch.Part part : parts) {
                if (part instanceof WriteBatch.Rows r) {
                    group.add(r);
                } else if (part instanceof WriteBatch.Staged s) {
                    last = Math.max(last, commitRows(group));
                    group.clear();
                    last = Math.max(last, commitStaged((PgStage) s.rows()));
                } else {
                    // File columns are refused at start on PostgreSQL (NoFileReferences).
                    throw new StoreException(
                            "PostgreSQL does not store " + part.getClass().getSimpleName(), null);
                }
            }
            return Math.max(last, commitRows(group));
        } catch (SQLException e) {
            throw new StoreException("cannot commit " + parts.size() + " requests: " + e.getMessage(), e);
        } finally {
            for (WriteBatch.Part part : parts) {
                if (part instanceof WriteBatch.Staged s) {
                    s.rows().close();
                }
            }
        }
    }

    private static long commitStaged(PgStage stage) throws SQLException {
        return stage.commit();
    }

    private long commitRows(List<WriteBatch.Rows> group) throws SQLException {
        if (group.isEmpty()) {
            return 0;
        }
        for (int attempt = 1; ; attempt++) {
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                try {
                    long last = mergeRows(c, group);
                    c.commit();
                    return last;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    if (!(e instanceof SQLException s && PgSql.retryable(s)) || attempt == ATTEMPTS) {
                        throw e;
                    }
                    // A deadlock with another instance: nothing was committed, so run the whole group again.
                } finally {
                    c.setAutoCommit(true);
                }
            }
        }
    }

    private static long mergeRows(Connection c, List<WriteBatch.Rows> group) throws SQLException {
        Map<TableDef, List<Mutation>> byTable = new LinkedHashMap<>();
        for (WriteBatch.Rows r : group) {
            for (Mutation m : r.mutations()) {
                byTable.computeIfAbsent(m.table(), t -> new ArrayList<>()).add(m);
            }
        }
        long last = 0;
        for (Map.Entry<TableDef, List<Mutation>> e : byTable.entrySet()) {
            TableDef t = e.getKey();
            if (e.getValue().size() <= COPY_ABOVE) {
                last = Math.max(last, PgUpsert.upsert(c, t, e.getValue()));
                continue;
            }
            String staging = "_eider_in_" + t.name();
            PgSql.execute(c, PgSql.createStaging(t, staging));
            CopyRows copy =
                    new CopyRows(t, c.unwrap(PGConnection.class).getCopyAPI().copyIn(CopyRows.statement(staging)));
            long ord = 0;
            for (Mutation m : e.getValue()) {
                copy.add(m.key(), m.values(), ord++);
            }
            copy.finish();
            last = Math.max(last, PgMerge.mergeWithRetry(c, t, staging));
        }
        return last;
    }

    @Override
    public long lastSequence() {
        return withReader(c -> {
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(
                            "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM " + PgSql.SEQUENCE)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public long lastSequence(TableDef table) {
        return rows.lastSequence(table);
    }

    /** Sequences come from the database here: the batch's own are ignored. */
    @Override
    public void apply(WriteBatch batch) {
        List<WriteBatch.Part> parts = new ArrayList<>();
        batch.parts().forEach(p -> parts.add(p.part()));
        commit(parts);
    }

    /** PostgreSQL checkpoints by itself. */
    @Override
    public boolean checkpoint() {
        // PostgreSQL checkpoints on its own schedule.
        return true;
    }

    @Override
    public StagedRows stage(TableDef table) {
        return new PgStage(table, pool);
    }

    /** Staged rows never outlive their transaction here, and no log refers to them. */
    @Override
    public StagedRows findStaged(TableDef table, String name, long size) {
        throw new StoreException("staged rows " + name + " cannot be found: PostgreSQL keeps no staged rows", null);
    }

    @Override
    public void discardLeftoverStages() {}

    @Override
    public Optional<StoredRow> get(TableDef table, Object key) {
        return rows.get(table, key);
    }

    @Override
    public RecordPage list(TableDef table, Object after, int limit, long maxBytes) {
        return rows.list(table, after, limit, maxBytes);
    }

    @Override
    public long count(TableDef table) {
        return rows.count(table);
    }

    @Override
    public <T> T withReader(SqlWork<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
