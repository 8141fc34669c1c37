package dev.eider.store.duckdb;

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
import java.util.List;
import java.util.Properties;
import org.duckdb.DuckDBConnection;

/**
 * DuckDB as the Parquet engine for another database: the rows arrive as a CSV file (PostgreSQL's
 * {@code COPY ... (FORMAT csv)}) that DuckDB reads with the table's declared types and writes out by
 * the same {@code COPY} as DuckDB's own exports, so files, types and layout are identical whichever
 * database the rows came from. A scratch database file backs it, so a change export's sort spills to
 * disk within DuckDB's {@code memory_limit} instead of growing with the row count.
 */
public final class ParquetEngine implements AutoCloseable {

    private final Path file;
    private final DuckDBConnection connection;

    private ParquetEngine(Path file, DuckDBConnection connection) {
        this.file = file;
        this.connection = connection;
    }

    /** A scratch database at {@code file} (replaced if present, deleted at close). */
    public static ParquetEngine open(Path file) {
        try {
            Files.deleteIfExists(file);
            Files.createDirectories(file.getParent());
            Properties props = new Properties();
            props.setProperty("memory_limit", StoreConfig.Postgres.PARQUET_ENGINE_MEMORY.bytes() + "B");
            props.setProperty("threads", "1");
            props.setProperty("preserve_insertion_order", "false");
            return new ParquetEngine(file, (DuckDBConnection)
                    DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), props));
        } catch (SQLException e) {
            throw new StoreException("cannot open a scratch DuckDB database at " + file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the stored rows in {@code csv} (the declared columns, {@code _seq}, {@code _deleted}, as
     * PostgreSQL's CSV writes them: {@code ""} an empty text, nothing a null) as a snapshot (live rows)
     * or as changes (with {@code op}) into {@code dir}.
     *
     * @param longestRow the longest row in the file, in bytes
     */
    public List<ParquetFile> write(
            TableDef table, Path csv, long longestRow, Mode mode, ExportSettings settings, Path dir) {
        try {
            return DuckDbParquet.copy(
                    connection, DuckDbParquet.exportedRows(mode, stored(table, csv, longestRow), table), settings, dir);
        } catch (SQLException e) {
            throw new StoreException("cannot write Parquet: " + e.getMessage(), e);
        }
    }

    /** The file's rows, typed as the table declares them. */
    private static String stored(TableDef table, Path csv, long longestRow) {
        return "SELECT " + Sql.storedColumns(table) + " FROM " + DuckDbCsv.read(table, csv, longestRow, "_seq");
    }

    @Override
    public void close() {
        try {
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
