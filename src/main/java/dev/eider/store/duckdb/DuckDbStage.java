package dev.eider.store.duckdb;

import static dev.eider.store.sql.Sql.quote;

import dev.eider.io.Durable;
import dev.eider.store.StagedRows;
import dev.eider.store.StoreException;
import dev.eider.store.sql.CsvRowLength;
import dev.eider.store.sql.StoredRowCsv;
import dev.eider.table.TableDef;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Rows of one large request, written as CSV ({@link StoredRowCsv}) to a file of their own in the stage
 * folder, so that the body streams to disk instead of into memory. The writer reads the file with
 * DuckDB's parallel CSV reader in the transaction that merges the rows (docs/decisions.md, "A large
 * request is staged as CSV"): encoding a row costs the request's thread a fraction of handing it to a
 * DuckDB appender, which compressed and wrote a staging table's row groups on that thread. The file is
 * deleted once the merge is committed; one the log no longer refers to is deleted at the next start.
 *
 * <p>A database written by an earlier version may still hold a request staged as a table
 * ({@code _eider_stage_r_…}, {@link #stagedTable}), which its log refers to; it is merged from there.
 */
final class DuckDbStage implements StagedRows {

    private static final String PREFIX = "_eider_stage_r_";
    private static final String SUFFIX = ".csv";

    private final TableDef table;
    private final String name;
    /** The rows' file; null for a table an earlier version staged. */
    private final Path file;

    private FileChannel channel;
    private OutputStream out;
    private StoredRowCsv csv;

    private long size;
    private long longestRow;
    private Object lastKey;
    private boolean keysIncrease;
    private boolean repeatsFound;
    /** Whether {@link #load} made the temporary table in the transaction under way. */
    private boolean loaded;

    private DuckDbStage(TableDef table, String name, Path file, long size, long longestRow) {
        this.table = table;
        this.name = name;
        this.file = file;
        this.size = size;
        this.longestRow = longestRow;
    }

    /** A new stage in {@code folder}, open for rows. */
    static DuckDbStage create(TableDef table, Path folder) {
        String name = PREFIX + UUID.randomUUID().toString().replace("-", "");
        DuckDbStage stage = new DuckDbStage(table, name, folder.resolve(name + SUFFIX), 0, 0);
        try {
            if (!Files.isDirectory(folder)) {
                Files.createDirectories(folder);
                // The folder's own name, durable before a log entry refers to a file in it.
                Durable.syncFolder(folder.toAbsolutePath().getParent());
            }
            stage.channel = FileChannel.open(stage.file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StoreException("cannot stage rows for " + table.name() + " in " + folder + ": " + e, e);
        }
        stage.out = new BufferedOutputStream(Channels.newOutputStream(stage.channel), 1 << 16);
        stage.csv = new StoredRowCsv(table);
        stage.keysIncrease = true;
        return stage;
    }

    /** Rows staged before a restart, sealed, in {@code folder}; null when there is no such file. */
    static DuckDbStage sealed(TableDef table, Path folder, String name, long size) {
        Path file = folder.resolve(name + SUFFIX);
        if (!Files.exists(file)) {
            return null;
        }
        // The longest row bounds DuckDB's read; measured again, since only the log's entry survived.
        try (InputStream in = Files.newInputStream(file);
                CsvRowLength rows = new CsvRowLength(OutputStream.nullOutputStream())) {
            in.transferTo(rows);
            return new DuckDbStage(table, name, file, size, rows.longest());
        } catch (IOException e) {
            throw new StoreException("cannot read staged rows " + file + ": " + e, e);
        }
    }

    /** A request an earlier version staged as the table {@code name}. */
    static DuckDbStage stagedTable(TableDef table, String name, long size) {
        return new DuckDbStage(table, name, null, size, 0);
    }

    /** Whether {@code file} is a stage's (so that it may be removed once no log entry refers to it). */
    static boolean isStageFile(Path file) {
        String n = file.getFileName().toString();
        return n.startsWith(PREFIX) && n.endsWith(SUFFIX);
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
        keysIncrease = keysIncrease && (lastKey == null || after(key, lastKey));
        lastKey = key;
        int length = csv.encode(key, values, size);
        try {
            out.write(csv.bytes(), 0, length);
        } catch (IOException e) {
            throw new StoreException("cannot stage a row for " + table.name() + " in " + file + ": " + e, e);
        }
        longestRow = Math.max(longestRow, length);
        size++;
    }

    /**
     * Whether each row's key came after the one before (so none repeats): a request sorted by key, as
     * bulk loads often are, is merged without keeping the newest row per key. False after a restart.
     */
    boolean keysIncrease() {
        return keysIncrease;
    }

    /** Whether a merge that assumed distinct keys failed: then the next keeps the newest row per key. */
    boolean repeatsFound() {
        return repeatsFound;
    }

    void foundRepeats() {
        repeatsFound = true;
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
            out.flush();
            // Durable before the write-ahead log entry that refers to it is written: the file's
            // bytes, and its name in the folder.
            channel.force(true);
            out.close();
            out = null;
            Durable.syncFolder(file.getParent());
        } catch (IOException e) {
            throw new StoreException("cannot stage rows for " + table.name() + " in " + file + ": " + e, e);
        }
    }

    /**
     * The staged rows as a relation to select from: DuckDB's CSV reader over the file (read by each
     * statement that selects from it: cheaper than loading it into a temporary table first, and it keeps the
     * rows out of memory), or the table an earlier version staged. Only for statements without a window or
     * join over its values: see {@link #load}.
     */
    String source() {
        return file == null ? quote(name) : DuckDbCsv.read(table, file, longestRow, "_ord");
    }

    /**
     * The staged rows loaded into a temporary table in {@code st}'s transaction (DuckDB spills it past
     * {@code memory_limit}), or the table an earlier version staged. DuckDB 2.0 turns a DOUBLE's -0.0 into
     * 0.0 when a window runs straight over {@code read_csv} (a new-user trial; scratch: every value of a
     * 15,000-key merge, none through a table), so merges that keep the newest row per key, or join stored
     * rows for their files, read the rows from here.
     */
    String load(Statement st) throws SQLException {
        if (file == null) {
            return quote(name);
        }
        if (!loaded) {
            st.execute("CREATE TEMPORARY TABLE " + quote(name) + " AS SELECT * FROM " + source());
            loaded = true;
        }
        return "temp." + quote(name);
    }

    /** The transaction that was merging the rows rolled back, and its temporary table with it. */
    void rolledBack() {
        if (file != null) {
            loaded = false;
        }
    }

    /** In the transaction that merged the rows: drops their table (a temporary one, or an earlier version's). */
    void merged(Statement st) throws SQLException {
        if (file == null) {
            st.execute("DROP TABLE " + quote(name));
        } else if (loaded) {
            st.execute("DROP TABLE temp." + quote(name));
        }
        loaded = false;
    }

    /** Deletes the file (the writer's commit has merged the rows, or they were never handed over). */
    @Override
    public void close() {
        if (file == null) {
            return; // dropped by the transaction that merged it
        }
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException ignored) {
            // The file is deleted anyway.
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // Left over stages are deleted at the next start.
        }
    }
}
