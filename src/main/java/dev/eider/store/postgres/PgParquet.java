package dev.eider.store.postgres;

import dev.eider.config.ExportSettings;
import dev.eider.config.ExportSettings.Mode;
import dev.eider.export.ParquetFile;
import dev.eider.store.duckdb.ParquetEngine;
import dev.eider.store.sql.RowValues;
import dev.eider.table.TableDef;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** Rows read from PostgreSQL, handed one at a time to DuckDB as the Parquet engine. */
final class PgParquet implements AutoCloseable {

    private final TableDef table;
    private final ParquetEngine engine;

    PgParquet(TableDef table, Path scratch) {
        this.table = table;
        this.engine = ParquetEngine.open(table, scratch);
    }

    /** Adds every row of a result set laid out as {@code Sql.storedColumns}: the declared columns, _seq, _deleted. */
    void addAll(ResultSet rs) throws SQLException {
        int n = table.columns().size();
        while (rs.next()) {
            Object[] values = RowValues.read(rs, table);
            long seq = rs.getLong(n + 1);
            boolean deleted = rs.getBoolean(n + 2);
            engine.add(values[table.keyIndex()], deleted ? null : values, seq);
        }
    }

    List<ParquetFile> write(Mode mode, ExportSettings settings, Path dir) {
        return engine.write(mode, settings, dir);
    }

    @Override
    public void close() {
        engine.close();
    }
}
