package dev.eider.store.duckdb;

import static dev.eider.store.sql.Sql.quote;

import dev.eider.config.ExportSettings;
import dev.eider.config.ExportSettings.Mode;
import dev.eider.config.StoreConfig;
import dev.eider.export.ParquetFile;
import dev.eider.store.StoreException;
import dev.eider.store.sql.Sql;
import dev.eider.table.TableDef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBSingleValueAppender;

/**
 * DuckDB as the Parquet engine for another database: rows streamed in through DuckDB's appender
 * into a scratch database file (so memory stays bounded by DuckDB's {@code memory_limit}, not by
 * the row count), then written out by the same {@code COPY} as DuckDB's own exports, so files,
 * types and layout are identical whichever database the rows came from.
 */
public final class ParquetEngine implements AutoCloseable {

    private static final String ROWS = "rows";

    private final TableDef table;
    private final Path file;
    private final DuckDBConnection connection;

    @SuppressWarnings("deprecation") // RowCodec says why this appender
    private final DuckDBSingleValueAppender appender;

    private ParquetEngine(TableDef table, Path file, DuckDBConnection connection) throws SQLException {
        this.table = table;
        this.file = file;
        this.connection = connection;
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TABLE " + ROWS + " (" + Sql.columnDefinitions(table, DuckDbDialect.INSTANCE)
                    + ", _seq BIGINT, _deleted BOOLEAN)");
        }
        this.appender = connection.createSingleValueAppender("main", ROWS);
    }

    /** A scratch database at {@code file} (replaced if present, deleted at close). */
    public static ParquetEngine open(TableDef table, Path file) {
        try {
            Files.deleteIfExists(file);
            Files.createDirectories(file.getParent());
            Properties props = new Properties();
            // With 64MB a snapshot of 3,000 values of 60KB failed: DuckDB holds 2,048 values at a time.
            props.setProperty("memory_limit", StoreConfig.Postgres.PARQUET_ENGINE_MEMORY.bytes() + "B");
            props.setProperty("threads", "1");
            props.setProperty("preserve_insertion_order", "false");
            DuckDBConnection c =
                    (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), props);
            try {
                return new ParquetEngine(table, file, c);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot open a scratch DuckDB database at " + file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds a stored row: its values (null for a tombstone: only the key is kept), its sequence. */
    public void add(Object key, Object[] values, long sequence) {
        try {
            RowCodec.appendStored(appender, table, key, values, sequence);
        } catch (SQLException e) {
            throw new StoreException("cannot buffer a row for Parquet: " + e.getMessage(), e);
        }
    }

    /** Writes every row added as a snapshot (live rows) or as changes (with {@code op}) into {@code dir}. */
    public List<ParquetFile> write(Mode mode, ExportSettings settings, Path dir) {
        try {
            appender.close();
            String stored = "SELECT " + Sql.storedColumns(table) + " FROM " + quote(ROWS);
            return DuckDbParquet.copy(connection, DuckDbParquet.exportedRows(mode, stored, table), settings, dir);
        } catch (SQLException e) {
            throw new StoreException("cannot write Parquet: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            appender.close();
            connection.close();
        } catch (SQLException e) {
            // A scratch database: nothing to keep.
        }
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(Path.of(file + ".wal"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
