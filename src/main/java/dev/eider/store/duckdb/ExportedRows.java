package dev.eider.store.duckdb;

import static dev.eider.store.sql.Sql.quote;

import dev.eider.store.StoreException;
import dev.eider.store.sql.RowValues;
import dev.eider.store.sql.Sql;
import dev.eider.table.TableDef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Exported Parquet files read back as the table they describe: a snapshot, then change exports in
 * order, resolved by DuckDB to the live row of each key (highest sequence; deletes drop the key).
 * Lets a store that is not DuckDB restore with bounded memory: DuckDB spills to a scratch file.
 */
public final class ExportedRows {

    /** Receives each live row: its values in declared order and its sequence. */
    @FunctionalInterface
    public interface Sink {
        void accept(Object[] values, long sequence) throws SQLException;
    }

    private ExportedRows() {}

    /** Hands every live row to {@code sink}; answers how many. */
    public static long forEach(TableDef t, List<Path> snapshot, List<List<Path>> changes, Path scratch, Sink sink) {
        List<String> parts = new ArrayList<>();
        String columns = Sql.columns(t);
        if (!snapshot.isEmpty()) {
            parts.add("SELECT " + columns + ", _seq, false AS _deleted FROM " + DuckDbParquet.read(snapshot));
        }
        for (List<Path> files : changes) {
            if (!files.isEmpty()) {
                parts.add("SELECT " + columns + ", _seq, _op = 'delete' AS _deleted FROM " + DuckDbParquet.read(files));
            }
        }
        if (parts.isEmpty()) {
            return 0;
        }
        String latest = "SELECT * FROM (" + String.join(" UNION ALL ", parts) + ") QUALIFY row_number() OVER "
                + "(PARTITION BY " + quote(t.primaryKey()) + " ORDER BY _seq DESC) = 1";
        String live = "SELECT " + columns + ", _seq FROM (" + latest + ") WHERE NOT _deleted";
        try {
            Files.createDirectories(scratch.getParent());
            Files.deleteIfExists(scratch);
            Properties props = new Properties();
            props.setProperty("memory_limit", "128MB");
            props.setProperty("threads", "1");
            props.setProperty("preserve_insertion_order", "false");
            long rows = 0;
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + scratch.toAbsolutePath(), props);
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(live)) {
                int n = t.columns().size();
                while (rs.next()) {
                    sink.accept(RowValues.read(rs, t), rs.getLong(n + 1));
                    rows++;
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new StoreException("cannot read the exported files of " + t.name() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(scratch);
            deleteQuietly(Path.of(scratch + ".wal"));
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A scratch file in a work folder, removed with the folder.
        }
    }
}
