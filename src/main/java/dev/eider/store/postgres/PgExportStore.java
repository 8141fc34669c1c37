package dev.eider.store.postgres;

import static dev.eider.store.sql.Sql.quote;

import dev.eider.config.ExportSettings;
import dev.eider.config.ExportSettings.Mode;
import dev.eider.export.ExportBusyException;
import dev.eider.export.ExportFile;
import dev.eider.export.ExportPlan;
import dev.eider.export.ExportState;
import dev.eider.export.ExportStore;
import dev.eider.export.ParquetFile;
import dev.eider.store.StoreException;
import dev.eider.store.sql.ExportHistory;
import dev.eider.store.sql.SqlExportStore;
import dev.eider.store.sql.SqlWork;
import dev.eider.store.sql.Statements;
import dev.eider.store.sql.Transaction;
import dev.eider.table.Catalog;
import dev.eider.table.TableDef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@link ExportStore} on PostgreSQL, for several instances at once. A plan's range is the
 * difference between two database snapshots: its changes are the rows whose writing transaction
 * ({@code _xid}) is visible in the plan's snapshot and was not in the previous plan's. A transaction
 * still open when a plan is made is invisible to it and visible to the next, so it is exported
 * exactly once whenever it commits, with no delay to guess. One instance at a time runs a table's
 * exports, under a {@link Leases lease} whose epoch fences every change of export state.
 */
public final class PgExportStore extends SqlExportStore implements AutoCloseable {

    private final PostgresStore store;
    private final Catalog catalog;
    private final Leases leases;

    public PgExportStore(PostgresStore store, Catalog catalog, Duration leaseTtl, Duration renewEvery) {
        super(store, Statements.FRESH);
        this.store = store;
        this.catalog = catalog;
        this.leases = new Leases(store.pool(), "eider-" + UUID.randomUUID(), leaseTtl, renewEvery);
    }

    public PgExportStore(PostgresStore store, Catalog catalog) {
        this(store, catalog, Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    @Override
    public ExportPlan plan(TableDef table, Mode mode, Instant now) {
        return inTransaction(c -> {
            PgSchema.lock(c, PgSql.PLANNING_LOCK);
            ExportHistory.Planning facts = history.planning(c, table.name());
            if (facts.openId() != null) {
                throw new ExportBusyException(table.name(), facts.openId());
            }
            // No lease here: whichever instance runs exports takes it when it carries the plan out.
            long id = facts.nextId();
            // The snapshot first, then the plan's sequence: every row the snapshot shows took its sequence before.
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO _eider_export_snapshots "
                            + "SELECT ?, (SELECT s.to_snapshot FROM _eider_export_snapshots s JOIN _eider_exports e ON e.id = s.export_id "
                            + "WHERE ? AND e.table_name = ? AND e.state = 'succeeded' ORDER BY e.id DESC LIMIT 1), pg_current_snapshot()")) {
                ps.setLong(1, id);
                ps.setBoolean(2, mode == Mode.CHANGES);
                ps.setString(3, table.name());
                ps.executeUpdate();
            }
            long to = single(c, "SELECT nextval('" + PgSql.SEQUENCE + "')");
            long from = mode == Mode.SNAPSHOT ? 0 : facts.watermark();
            ExportPlan plan = history.insert(c, id, table.name(), mode, from, to, now);
            return plan;
        });
    }

    @Override
    public ExportPlan recordFiles(ExportPlan attempt, List<ExportFile> files) {
        inTransaction(c -> {
            leases.check(c, attempt.table());
            history.recordAttempt(c, attempt, files);
            return null;
        });
        return attempt.withFiles(files);
    }

    @Override
    public void succeeded(ExportPlan plan, TableDef table, Instant now) {
        finish(plan, table, now, ExportState.SUCCEEDED);
    }

    @Override
    public void skipped(ExportPlan plan, TableDef table, Instant now) {
        finish(plan, table, now, ExportState.SKIPPED);
    }

    /**
     * Any instance may cancel: no lease is needed, since the holder's next step finds the plan closed
     * and records nothing more.
     */
    @Override
    public ExportPlan cancel(long id, TableDef table, Instant now, String reason, Optional<ExportPlan> attempt) {
        inTransaction(c -> {
            history.requireOpen(c, id);
            history.cancel(c, id, now, reason, attempt);
            return null;
        });
        return find(id).orElseThrow();
    }

    private void finish(ExportPlan plan, TableDef table, Instant now, ExportState state) {
        inTransaction(c -> {
            leases.check(c, table.name());
            history.finish(c, plan, state, now);
            if (plan.mode() == Mode.SNAPSHOT) {
                // Tombstones the snapshot covers are no longer needed: every later export starts above it.
                String to = PgExportRows.Snapshots.of(c, plan.id()).to();
                PgSql.execute(
                        c,
                        "DELETE FROM " + quote(table.name()) + " r WHERE r._deleted AND "
                                + PgExportRows.between(null, to));
            }
            return null;
        });
        leases.release(table.name());
    }

    @Override
    public void failed(ExportPlan attempt, Instant now, String error, Instant nextAttemptAt) {
        inTransaction(c -> {
            leases.check(c, attempt.table());
            history.failed(c, attempt, now, error, nextAttemptAt);
            return null;
        });
    }

    /**
     * Changes: whether any row differs between the plan's snapshot and the previous plan's. Snapshots:
     * whether any row was written between the last succeeded snapshot and this plan's.
     */
    @Override
    public boolean hasNews(ExportPlan plan) {
        TableDef table = catalog.require(plan.table());
        return store.withReader(c -> {
            PgExportRows.Snapshots snapshots = PgExportRows.Snapshots.of(c, plan.id());
            String from = snapshots.from();
            if (plan.mode() == Mode.SNAPSHOT) {
                Long previous = previousSnapshot(c, plan);
                if (previous == null) {
                    return true;
                }
                from = PgExportRows.Snapshots.of(c, previous).to();
            }
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM " + quote(table.name()) + " r WHERE "
                            + PgExportRows.between(from, snapshots.to()) + ")")) {
                rs.next();
                return rs.getBoolean(1);
            }
        });
    }

    /** On the caller's connection: a second one from the pool while holding the first could wait on itself. */
    private Long previousSnapshot(Connection c, ExportPlan plan) throws SQLException {
        return history.chain(c, plan.table()).stream()
                .filter(p -> p.mode() == Mode.SNAPSHOT && p.id() != plan.id())
                .map(ExportPlan::id)
                .reduce((a, b) -> b)
                .orElse(null);
    }

    @Override
    public void startAttempt(ExportPlan attempt) {
        inTransaction(c -> leases.acquire(c, attempt.table()));
    }

    /**
     * Keeps the table's lease, then streams the plan's rows, as of its snapshot, from a
     * cursor into DuckDB, which writes the Parquet files.
     */
    @Override
    public List<ParquetFile> writeParquet(ExportPlan plan, TableDef table, ExportSettings settings, Path dir) {
        inTransaction(c -> leases.acquire(c, table.name()));
        Path file = dir.resolveSibling("rows.csv");
        try {
            PgParquet.Csv csv;
            try (Connection c = store.pool().getConnection()) {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                try {
                    csv = PgParquet.copyOut(c, plan, table, file);
                    // Ended before DuckDB writes the Parquet: nothing more to read.
                    c.commit();
                } finally {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            }
            return PgParquet.write(csv, plan, table, settings, dir);
        } catch (SQLException e) {
            throw new StoreException("cannot read the rows of export " + plan.id() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the rows of export " + plan.id() + " to " + file, e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // It is in the attempt's work folder, which goes when the attempt ends.
            }
        }
    }

    @Override
    public boolean isEmpty() {
        return store.withReader(c -> {
            long rows = 0;
            try (Statement st = c.createStatement()) {
                for (TableDef t : catalog.tables()) {
                    try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + quote(t.name()))) {
                        rs.next();
                        rows += rs.getLong(1);
                    }
                }
            }
            return rows == 0;
        });
    }

    /**
     * One transaction for the whole restore: each table's live rows, resolved from the files by DuckDB,
     * stream through {@code COPY} into a staging table and then into the table, keeping their exported
     * sequences; the shared sequence continues above the highest. Another instance sees all or nothing.
     */
    @Override
    public Restore beginRestore() {
        Connection c;
        try {
            c = store.pool().getConnection();
            c.setAutoCommit(false);
        } catch (SQLException e) {
            throw new StoreException("cannot start a restore: " + e.getMessage(), e);
        }
        return new Restore() {
            @Override
            public long table(
                    TableDef table, List<Path> snapshot, List<List<Path>> changes, long lastSeq, Path scratch) {
                try {
                    return PgRestore.table(c, table, snapshot, changes, lastSeq, scratch);
                } catch (SQLException e) {
                    throw new StoreException("cannot restore " + table.name() + ": " + e.getMessage(), e);
                }
            }

            @Override
            public void commit() {
                try {
                    c.commit();
                } catch (SQLException e) {
                    throw new StoreException("cannot commit the restore: " + e.getMessage(), e);
                }
            }

            @Override
            public void close() {
                try (c) {
                    c.rollback();
                    c.setAutoCommit(true);
                } catch (SQLException e) {
                    // Nothing committed stays: the connection goes back to the pool or is evicted.
                }
            }
        };
    }

    @Override
    public void close() {
        leases.close();
    }

    private <T> T inTransaction(SqlWork<T> work) {
        try (Connection c = store.pool().getConnection()) {
            return Transaction.run(c, work);
        } catch (SQLException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
