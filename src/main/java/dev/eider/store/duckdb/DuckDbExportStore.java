package dev.eider.store.duckdb;

import static dev.eider.store.sql.Sql.quote;

import dev.eider.config.ExportSettings;
import dev.eider.config.ExportSettings.Mode;
import dev.eider.export.ExportBusyException;
import dev.eider.export.ExportChain;
import dev.eider.export.ExportFile;
import dev.eider.export.ExportPlan;
import dev.eider.export.ExportState;
import dev.eider.export.ExportStore;
import dev.eider.export.ParquetFile;
import dev.eider.store.StoreException;
import dev.eider.store.sql.ExportHistory;
import dev.eider.store.sql.Sql;
import dev.eider.store.sql.SqlExportStore;
import dev.eider.store.sql.Statements;
import dev.eider.table.Catalog;
import dev.eider.table.TableDef;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@link ExportStore} on the DuckDB file: plans live in {@code _eider_exports} and
 * {@code _eider_export_files}; ranges are fixed under the writer's lock; Parquet is written by
 * {@link DuckDbParquet}.
 */
public final class DuckDbExportStore extends SqlExportStore {

    private final DuckDbStore store;
    private final Catalog catalog;
    private final Statements statements;
    /**
     * Each table's chain, kept in memory and extended as plans succeed: only a finish changes a chain, and only
     * this process writes the file. The query took 4-7 ms of a ~50 ms change export on two cores, and ran twice
     * per export (docs/decisions.md, "DuckDB keeps each table's export chain in memory"). PostgreSQL keeps no such
     * memory: other instances finish plans there too.
     */
    private final KeptChains chains = new KeptChains();

    /**
     * The export side of {@code store}; one per database (a second one's finishes would not reach this one's
     * kept chains).
     */
    public DuckDbExportStore(DuckDbStore store, Catalog catalog) {
        // Its bookkeeping runs on the writer's one connection, under the writer's lock.
        this(store, catalog, Statements.kept());
    }

    private DuckDbExportStore(DuckDbStore store, Catalog catalog, Statements statements) {
        super(store, statements);
        this.store = store;
        this.catalog = catalog;
        this.statements = statements;
        store.exclusive(c -> {
            ExportHistory.createTables(c);
            return null;
        });
    }

    @Override
    public ExportPlan plan(TableDef table, Mode mode, Instant now) {
        return store.exclusive(c -> {
            // The highest id and each table's open plan are kept rather than asked: the query took about 2 ms of a
            // ~40 ms change export (docs/decisions.md, "What a change export asks of DuckDB and the disk").
            KeptPlanning kept = store.exportPlanning().known(c);
            Optional<Long> open = kept.open(table.name());
            if (open.isPresent()) {
                // Refusing is rare, and a kept plan that the file does not hold open would refuse for good.
                open = kept.read(c).open(table.name());
            }
            if (open.isPresent()) {
                throw new ExportBusyException(table.name(), open.get());
            }
            long from = mode == Mode.SNAPSHOT ? 0 : watermark(c, table.name());
            long to = store.holdHorizon(table);
            ExportPlan plan;
            try {
                plan = history.insert(c, kept.nextId(), table.name(), mode, from, to, now);
            } catch (Throwable e) {
                kept.forget();
                store.releaseHorizon(table);
                throw e;
            }
            kept.planned(plan.table(), plan.id());
            return plan;
        });
    }

    /**
     * Where a change export of the table starts: where its newest succeeded export ended (0 before the first), the end
     * of its chain. Read on the writer's connection when not kept: the caller holds the writer's lock, and waiting
     * for a reader then would hold up ingest.
     */
    private long watermark(Connection c, String table) {
        List<ExportPlan> chain = keptChain(table, () -> {
            try {
                return history.chain(c, table);
            } catch (SQLException e) {
                throw new StoreException("cannot read the export chain of " + table, e);
            }
        });
        return chain.isEmpty() ? 0 : chain.get(chain.size() - 1).toSeq();
    }

    /**
     * Runs a statement that ends the table's open plan {@code id}: what planning keeps learns of the end once it is
     * committed, and is forgotten when the statement fails (it may or may not have been committed).
     */
    private void ending(String table, long id, DuckDbTransaction.SqlStep step) throws SQLException {
        KeptPlanning kept = store.exportPlanning();
        try {
            step.run();
        } catch (Throwable e) {
            kept.forget();
            throw e;
        }
        kept.ended(table, id);
    }

    @Override
    public List<ExportPlan> chain(String table) {
        return keptChain(table, () -> super.chain(table));
    }

    /** The table's kept chain, or the one {@code read} reads, kept unless a finish of the table came meanwhile. */
    private List<ExportPlan> keptChain(String table, Supplier<List<ExportPlan>> read) {
        long finishes = chains.finishes(table);
        Optional<List<ExportPlan>> kept = chains.get(table, finishes);
        if (kept.isPresent()) {
            return kept.get();
        }
        List<ExportPlan> chain = read.get();
        chains.keep(table, finishes, chain);
        return chain;
    }

    /**
     * A change export has news when its range is not empty; a snapshot when a row of its table changed since the
     * table's newest succeeded snapshot: sequences count every table's writes, so the range alone would copy an
     * unchanged table again whenever another one changed (a new-user trial). A version replaced after the plan
     * was made is kept as a preimage, so both are looked at.
     */
    @Override
    public boolean hasNews(ExportPlan plan) {
        if (plan.mode() == Mode.CHANGES) {
            return plan.fromSeq() != plan.toSeq();
        }
        List<ExportPlan> chain = chain(plan.table());
        if (chain.isEmpty() || chain.get(0).mode() != Mode.SNAPSHOT) {
            return true;
        }
        long since = chain.get(0).toSeq();
        if (since >= plan.toSeq()) {
            return false;
        }
        TableDef t = catalog.require(plan.table());
        return store.withReader(c -> {
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM " + quote(t.name()) + " WHERE _seq > "
                            + since + " AND _seq <= " + plan.toSeq() + ") OR EXISTS (SELECT 1 FROM "
                            + Sql.preimages(t) + " WHERE _seq > " + since + ")")) {
                rs.next();
                return rs.getBoolean(1);
            }
        });
    }

    @Override
    public ExportPlan recordFiles(ExportPlan attempt, List<ExportFile> files) {
        store.exclusive(c -> {
            DuckDbTransaction.run(c, () -> {
                history.recordAttempt(c, attempt, files);
            });
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

    @Override
    public ExportPlan cancel(long id, TableDef table, Instant now, String reason, Optional<ExportPlan> attempt) {
        store.exclusive(c -> {
            ending(
                    table.name(),
                    id,
                    () -> DuckDbTransaction.run(c, () -> {
                        history.requireOpen(c, id);
                        history.cancel(c, id, now, reason, attempt);
                        try (Statement st = c.createStatement()) {
                            st.execute("DELETE FROM " + Sql.preimages(table));
                        }
                    }));
            store.stopKeepingVersions(table);
            return null;
        });
        return find(id).orElseThrow();
    }

    private void finish(ExportPlan plan, TableDef table, Instant now, ExportState state) {
        String name = table.name();
        store.exclusive(c -> {
            // Finishes run under the writer's lock: none comes between this look and the count below.
            Optional<List<ExportPlan>> before = chains.get(name, chains.finishes(name));
            long finishes;
            try {
                ending(name, plan.id(), () -> finish(c, plan, table, now, state));
            } finally {
                // After the commit (or its failure): a chain read before this point is not kept.
                finishes = chains.finished(name);
            }
            if (before.isPresent()) {
                chains.keep(
                        name,
                        finishes,
                        state == ExportState.SUCCEEDED
                                ? ExportChain.after(before.get(), asChained(plan, now))
                                : before.get());
            }
            // Still under the writer's lock: no batch commits between the delete above and this.
            store.stopKeepingVersions(table);
            return null;
        });
    }

    private void finish(Connection c, ExportPlan plan, TableDef table, Instant now, ExportState state)
            throws SQLException {
        boolean versionsKept = store.keptVersions(table);
        if (!versionsKept && plan.mode() == Mode.CHANGES) {
            // One statement, committed on its own: a change export's end is on its path. (Without the transaction's
            // BEGIN, a transaction a failed rollback left aborted is not rolled back here: this attempt fails and is
            // retried after the writer's next batch has rolled it back, as with failed().)
            history.finish(c, plan, state, now);
            return;
        }
        DuckDbTransaction.run(c, () -> {
            history.finish(c, plan, state, now);
            if (versionsKept) {
                // The versions kept for this plan go in the same commit that ends it.
                try (Statements.Use use = statements.prepare(c, "DELETE FROM " + Sql.preimages(table))) {
                    use.statement().execute();
                }
            }
            if (plan.mode() == Mode.SNAPSHOT) {
                // Tombstones up to here are no longer needed: every later export starts above this range.
                // Purged after snapshots only: the scan would dominate a small change export.
                try (Statement st = c.createStatement()) {
                    st.execute("DELETE FROM " + quote(table.name()) + " WHERE _deleted AND _seq <= " + plan.toSeq());
                }
            }
        });
    }

    /** The plan as {@link #chain} reads it back once it succeeded at {@code now}. */
    private static ExportPlan asChained(ExportPlan plan, Instant now) {
        // TIMESTAMPTZ keeps microseconds; the driver truncates.
        return plan.succeeded(now.truncatedTo(ChronoUnit.MICROS)).withoutFiles();
    }

    @Override
    public void failed(ExportPlan attempt, Instant now, String error, Instant nextAttemptAt) {
        store.exclusive(c -> {
            history.failed(c, attempt, now, error, nextAttemptAt);
            return null;
        });
    }

    @Override
    public List<ParquetFile> writeParquet(ExportPlan plan, TableDef table, ExportSettings settings, Path dir) {
        return store.withReader(c -> DuckDbParquet.write(c, plan, table, settings, dir));
    }

    @Override
    public boolean isEmpty() {
        return store.exclusive(c -> {
            long rows = 0;
            try (Statement st = c.createStatement()) {
                for (TableDef t : catalog.tables()) {
                    try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + quote(t.name()))) {
                        rs.next();
                        rows += rs.getLong(1);
                    }
                }
            }
            return rows == 0 && store.lastSequence() == 0;
        });
    }

    @Override
    public Restore beginRestore() {
        // Each table commits as it loads: the restore command builds a new file and renames it into
        // place only when every table is in, which makes the whole restore atomic on DuckDB.
        return new Restore() {
            @Override
            public long table(
                    TableDef table, List<Path> snapshot, List<List<Path>> changes, long lastSeq, Path scratch) {
                return store.exclusive(c -> DuckDbParquet.restore(c, table, snapshot, changes, lastSeq));
            }

            @Override
            public void commit() {}

            @Override
            public void close() {}
        };
    }
}
