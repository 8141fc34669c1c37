package dev.eider.store.postgres;

import dev.eider.config.ExportSettings;
import dev.eider.export.ExportPlan;
import dev.eider.export.ParquetFile;
import dev.eider.store.duckdb.ParquetEngine;
import dev.eider.store.sql.CsvRowLength;
import dev.eider.table.TableDef;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * A plan's rows read out of PostgreSQL by {@code COPY ... TO STDOUT (FORMAT csv)} into a file, then
 * written as Parquet by DuckDB ({@link ParquetEngine}). Reading them row by row through JDBC and
 * appending each to DuckDB took three to five times as long (docs/decisions.md).
 */
final class PgParquet {

    /** A plan's rows in a CSV file, and the length of its longest row. */
    record Csv(Path file, long longestRow) {}

    private PgParquet() {}

    /**
     * Writes the plan's rows to {@code file}, in the caller's transaction (which fixes what is visible).
     * The text is exact without settings of ours: the driver fixes {@code DateStyle} (ISO) and
     * {@code extra_float_digits} (3) when it connects, and DuckDB reads a timestamp's offset, whatever
     * the session's time zone. ({@code PgExportValuesIT} sets other values on the database, which the
     * driver's own override today; should a driver stop doing so, the test would show it.)
     */
    static Csv copyOut(Connection c, ExportPlan plan, TableDef table, Path file) throws SQLException, IOException {
        try (CsvRowLength out = new CsvRowLength(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            PgExportRows.Snapshots snapshots = PgExportRows.Snapshots.of(c, plan.id());
            c.unwrap(PGConnection.class).getCopyAPI().copyOut(PgExportRows.copy(plan, table, snapshots), out);
            return new Csv(file, out.longest());
        }
    }

    /** Writes the rows of {@code csv} as the plan's Parquet files into {@code dir}. */
    static List<ParquetFile> write(Csv csv, ExportPlan plan, TableDef table, ExportSettings settings, Path dir) {
        try (ParquetEngine engine = ParquetEngine.open(dir.resolveSibling("rows.duckdb"))) {
            return engine.write(table, csv.file(), csv.longestRow(), plan.mode(), settings, dir);
        }
    }
}
