package dev.eider.store.duckdb;

import dev.eider.config.DataSize;
import dev.eider.config.StoreConfig;
import dev.eider.export.ExportState;
import dev.eider.store.Gatherer;
import dev.eider.store.RecordPage;
import dev.eider.store.RecordStore;
import dev.eider.store.StagedRows;
import dev.eider.store.StoreException;
import dev.eider.store.StoredRow;
import dev.eider.store.WriteBatch;
import dev.eider.store.sql.Readers;
import dev.eider.store.sql.RowQueries;
import dev.eider.store.sql.Sql;
import dev.eider.store.sql.SqlWork;
import dev.eider.table.Catalog;
import dev.eider.table.TableDef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.duckdb.DuckDBConnection;

/**
 * The {@link RecordStore} on one DuckDB file. One connection writes (the applier, through
 * {@link DuckDbWriter}); reads use a {@link ReaderPool} of connections duplicated from it.
 */
public final class DuckDbStore implements RecordStore, Gatherer, Readers {

    private static final int READERS = 8;

    private final DuckDBConnection root;
    private final DuckDbWriter writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Guarded by {@link #writeLock}: the one kept for every export store of the file. */
    private final KeptPlanning exportPlanning = new KeptPlanning();

    private final ReaderPool readers;
    private final RowQueries rows;
    /** Where large requests' rows wait as CSV until the writer merges them ({@link DuckDbStage}). */
    private final Path stageFolder;

    private DuckDbStore(DuckDBConnection root, long lastSequence, Path stageFolder) throws SQLException {
        this.root = root;
        this.stageFolder = stageFolder;
        this.writer = new DuckDbWriter(root.duplicate(), lastSequence);
        this.readers = new ReaderPool(root, READERS);
        this.rows = new RowQueries(readers, true);
    }

    /** Opens (or creates) the database file and brings it in line with the declared tables. */
    public static DuckDbStore open(StoreConfig.DuckDb config, Catalog catalog) {
        NativeLibrary.unpack();
        try {
            Properties props = new Properties();
            props.setProperty("memory_limit", size(config.memoryLimit()));
            props.setProperty("threads", Integer.toString(config.threads()));
            props.setProperty("checkpoint_threshold", size(config.checkpointThreshold()));
            // Eider orders what it needs itself; insertion order costs memory on large copies.
            props.setProperty("preserve_insertion_order", "false");
            DuckDBConnection root = (DuckDBConnection) DriverManager.getConnection(
                    "jdbc:duckdb:" + config.dataFile().toAbsolutePath(), props);
            try {
                new DuckDbSchema(root).migrate(catalog.tables());
                DuckDbStore store = new DuckDbStore(root, readLastSequence(root), stageFolder(config));
                store.resumeOpenHorizons(catalog);
                return store;
            } catch (SQLException | RuntimeException e) {
                root.close();
                throw e;
            }
        } catch (SQLException e) {
            throw openFailed(config.dataFile(), e);
        }
    }

    /**
     * Opens the file read-only and closes it again, changing nothing: for {@code eider check}, which
     * must not create or migrate a database, only tell whether it can be opened.
     */
    public static void probe(StoreConfig.DuckDb config) {
        NativeLibrary.unpack();
        Properties props = new Properties();
        props.setProperty("duckdb.read_only", "true");
        try (var c =
                DriverManager.getConnection("jdbc:duckdb:" + config.dataFile().toAbsolutePath(), props)) {
            c.isValid(1);
        } catch (SQLException e) {
            throw openFailed(config.dataFile(), e);
        }
    }

    /**
     * Whether any of the catalog's tables holds a row (a tombstone too), asked of the file opened read-only: for
     * {@code eider restore}, whose refusal of a database with rows must change nothing (a trial found a refused
     * restore had rewritten parts of the file it opened for writing).
     */
    public static boolean holdsRows(StoreConfig.DuckDb config, Catalog catalog) {
        NativeLibrary.unpack();
        Properties props = new Properties();
        props.setProperty("duckdb.read_only", "true");
        try (var c = DriverManager.getConnection(
                        "jdbc:duckdb:" + config.dataFile().toAbsolutePath(), props);
                PreparedStatement exists =
                        c.prepareStatement("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?");
                Statement st = c.createStatement()) {
            for (TableDef t : catalog.tables()) {
                exists.setString(1, t.name());
                try (ResultSet rs = exists.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        continue;
                    }
                }
                try (ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM " + Sql.quote(t.name()) + ")")) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return true;
                    }
                }
            }
            return false;
        } catch (SQLException e) {
            throw openFailed(config.dataFile(), e);
        }
    }

    private static StoreException openFailed(Path file, SQLException e) {
        // The lock message says all DuckDB's does, in Eider's words: no cause to print after it.
        return DatabaseLock.describe(e.getMessage(), file)
                .map(locked -> new StoreException(locked, null))
                .orElseGet(() -> new StoreException(
                        "cannot open DuckDB database " + file + " (storage.path): " + e.getMessage(), e));
    }

    /**
     * Exports planned before a restart still read their tables as of their horizon: keep the
     * versions they need from the very first write after opening, before the write-ahead log is
     * replayed and before the export service starts. The one place export horizons are recovered.
     */
    private void resumeOpenHorizons(Catalog catalog) throws SQLException {
        try (Statement st = root.createStatement();
                ResultSet exists =
                        st.executeQuery("SELECT count(*) FROM duckdb_tables() WHERE table_name = '_eider_exports'")) {
            exists.next();
            if (exists.getLong(1) == 0) {
                return;
            }
        }
        try (Statement st = root.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT table_name, to_seq FROM _eider_exports WHERE state IN " + ExportState.OPEN_SQL)) {
            while (rs.next()) {
                Optional<TableDef> t = catalog.find(rs.getString(1));
                if (t.isPresent()) {
                    writer.holdHorizon(t.get(), rs.getLong(2));
                }
            }
        }
    }

    /** Beside the database file: {@code data.db.eider-stage/}. */
    static Path stageFolder(StoreConfig.DuckDb config) {
        return Path.of(config.dataFile() + ".eider-stage");
    }

    /** A size as DuckDB's settings expect it, e.g. {@code 268435456B}. */
    private static String size(DataSize size) {
        return size.bytes() + "B";
    }

    private static long readLastSequence(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT last_seq FROM _eider_meta")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public long lastSequence() {
        writeLock.lock();
        try {
            return writer.lastSequence();
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void apply(WriteBatch batch) {
        write(
                () -> writer.apply(batch),
                "cannot commit a batch of " + batch.parts().size() + " requests");
    }

    @Override
    public Optional<Gatherer> gatherer() {
        return Optional.of(this);
    }

    @Override
    public void gather(WriteBatch batch) {
        write(() -> writer.gather(batch), "cannot keep " + batch.rows() + " rows to apply");
    }

    @Override
    public void applyGathered() {
        write(writer::applyGathered, "cannot commit the gathered rows");
    }

    /** Runs one of the writer's transactions under the write lock; its failure says {@code failure} and why. */
    private void write(DuckDbTransaction.SqlStep step, String failure) {
        writeLock.lock();
        try {
            step.run();
        } catch (SQLException e) {
            throw new StoreException(failure + ": " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public boolean checkpoint() {
        return exclusive(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CHECKPOINT");
                return true;
            } catch (SQLException e) {
                // Another connection's write transaction is open (a restore's, an export's bookkeeping
                // elsewhere): DuckDB says so in these words, and the next idle poll tries again.
                if (String.valueOf(e.getMessage()).contains("other write transactions active")) {
                    return false;
                }
                throw e;
            }
        });
    }

    @Override
    public StagedRows stage(TableDef table) {
        return DuckDbStage.create(table, stageFolder);
    }

    @Override
    public StagedRows findStaged(TableDef table, String name, long size) {
        DuckDbStage staged = DuckDbStage.sealed(table, stageFolder, name, size);
        if (staged != null) {
            return staged;
        }
        boolean stagedTable = withReader(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1) == 1;
                }
            }
        });
        if (!stagedTable) {
            throw new StoreException(
                    "staged rows " + name + " for " + table.name() + " are missing from " + stageFolder, null);
        }
        return DuckDbStage.stagedTable(table, name, size);
    }

    @Override
    public void discardLeftoverStages() {
        exclusive(c -> {
            try (Statement st = c.createStatement()) {
                new DuckDbSchema(c).dropLeftoverStages(st);
            }
            return null;
        });
        if (Files.isDirectory(stageFolder)) {
            try (Stream<Path> files = Files.list(stageFolder)) {
                for (Path f : (Iterable<Path>) files.filter(DuckDbStage::isStageFile)::iterator) {
                    Files.deleteIfExists(f);
                }
            } catch (IOException e) {
                throw new StoreException("cannot remove leftover staged rows in " + stageFolder + ": " + e, e);
            }
        }
    }

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
    public long lastSequence(TableDef table) {
        return rows.lastSequence(table);
    }

    /**
     * Runs {@code work} while no batch commits: the sequence it sees is the last committed one, and
     * no write starts until it returns. Exports fix their range this way.
     */
    public <T> T exclusive(SqlWork<T> work) {
        writeLock.lock();
        try {
            return work.run(root);
        } catch (SQLException e) {
            throw new StoreException(e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    /** What planning exports asks of the history, kept for the file's one writer; use it under the writer's lock. */
    KeptPlanning exportPlanning() {
        return exportPlanning;
    }

    /** From now until {@link #releaseHorizon}, writes keep the versions of the table's rows as of the last sequence. */
    public long holdHorizon(TableDef table) {
        writeLock.lock();
        try {
            writer.holdHorizon(table, writer.lastSequence());
            return writer.lastSequence();
        } finally {
            writeLock.unlock();
        }
    }

    public void releaseHorizon(TableDef table) {
        writeLock.lock();
        try {
            writer.releaseHorizon(table);
        } catch (SQLException e) {
            throw new StoreException("cannot release export horizon of " + table.name(), e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Whether versions of the table's rows may be kept for an export; false only when known to be none. */
    boolean keptVersions(TableDef table) {
        writeLock.lock();
        try {
            return writer.keptVersions(table);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Stops keeping versions for the table without deleting those kept: for a caller that deleted them
     * itself (or found none kept), in a transaction committed under the writer's lock it still holds.
     */
    void stopKeepingVersions(TableDef table) {
        writeLock.lock();
        try {
            writer.stopKeepingVersions(table);
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs read-only work on a pooled connection. */
    @Override
    public <T> T withReader(SqlWork<T> work) {
        return readers.withReader(work);
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            readers.close();
            writer.close();
            try (Statement st = root.createStatement()) {
                st.execute("CHECKPOINT");
            }
            root.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close the database cleanly", e);
        } finally {
            writeLock.unlock();
        }
    }
}
