package dev.eider.store.duckdb;

import static dev.eider.store.sql.Sql.quote;

import dev.eider.config.ExportSettings;
import dev.eider.config.ExportSettings.Mode;
import dev.eider.export.ExportPlan;
import dev.eider.export.ParquetFile;
import dev.eider.store.sql.SchemaRules;
import dev.eider.store.sql.Sql;
import dev.eider.table.Column;
import dev.eider.table.ColumnType;
import dev.eider.table.TableDef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Parquet through DuckDB's {@code COPY}: a table as of a sequence (live rows, or the changes in a
 * range with an {@code _op} column) out to local files, and exported files back into a table.
 */
final class DuckDbParquet {

    /**
     * A row group is built in memory: by rows alone (122,880) a table of 60KB values made row groups
     * of hundreds of MB and the export failed on DuckDB's memory limit. Small rows fill a row group by rows
     * before this (10M rows of a key and a short text: about 6MB a group), so their files are unchanged.
     */
    private static final long ROW_GROUP_BYTES = 8L << 20;

    private DuckDbParquet() {}

    static List<ParquetFile> write(Connection c, ExportPlan plan, TableDef t, ExportSettings settings, Path dir)
            throws SQLException {
        return copy(c, select(plan, t), settings, dir);
    }

    /** Writes the rows of {@code select} as Parquet files under {@code dir}, the way every export does. */
    static List<ParquetFile> copy(Connection c, String select, ExportSettings settings, Path dir) throws SQLException {
        // RETURN_FILES, not RETURN_STATS: the statistics of every column cost about 1.3 ms of a 1,000-row
        // change export's ~5 ms COPY (docs/decisions.md); the rows of each file are asked for only when
        // there are several.
        String options = "FORMAT PARQUET, COMPRESSION " + settings.compression() + ", FILE_SIZE_BYTES "
                + Math.max(1, settings.targetFileSize().bytes())
                + ", ROW_GROUP_SIZE_BYTES " + ROW_GROUP_BYTES
                + ", FILENAME_PATTERN 'part-{i}', OVERWRITE true, RETURN_FILES true"
                + (settings.partitionBy() == null
                        ? ""
                        : ", PARTITION_BY (" + quote(settings.partitionBy()) + "), WRITE_PARTITION_COLUMNS true");
        String sql = "COPY (" + select + ") TO " + path(dir) + " (" + options + ")";
        long rows;
        List<Path> written = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            rows = rs.getLong("Count");
            for (Object file : (Object[]) rs.getArray("Files").getArray()) {
                written.add(Path.of((String) file));
            }
        }
        Map<Path, Long> counts = written.size() == 1 ? Map.of(written.get(0), rows) : rowsPerFile(c, written);
        if (!counts.keySet().equals(new HashSet<>(written))
                || counts.values().stream().mapToLong(Long::longValue).sum() != rows) {
            // A file taken for empty would be deleted, and its rows would never be exported.
            throw new IllegalStateException("DuckDB wrote " + rows + " rows to " + written + " but their footers say "
                    + counts + "; nothing is uploaded");
        }
        List<ParquetFile> files = new ArrayList<>();
        for (Path file : written) {
            long n = counts.get(file);
            if (n == 0) {
                delete(file);
            } else {
                files.add(new ParquetFile(file, dir.relativize(file).toString().replace('\\', '/'), n, size(file)));
            }
        }
        files.sort(Comparator.comparing(ParquetFile::relative, DuckDbParquet::naturalOrder));
        return files;
    }

    private static Map<Path, Long> rowsPerFile(Connection c, List<Path> files) throws SQLException {
        Map<Path, Long> rows = new HashMap<>();
        if (files.isEmpty()) {
            return rows;
        }
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT file_name, num_rows FROM parquet_file_metadata(["
                        + files.stream().map(DuckDbParquet::path).collect(Collectors.joining(", ")) + "])")) {
            while (rs.next()) {
                rows.put(Path.of(rs.getString(1)), rs.getLong(2));
            }
        }
        return rows;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + file, e);
        }
    }

    /**
     * The plan's rows with Parquet-friendly types. Change files are ordered by key; snapshots are
     * not (sorting 10M rows doubled the export time), so their bytes can differ between attempts,
     * which the exporter allows for (see docs/export.md).
     */
    static String select(ExportPlan plan, TableDef t) {
        String stored = Sql.storedColumns(t);
        String asOf = "SELECT " + stored + " FROM " + quote(t.name()) + " WHERE _seq <= " + plan.toSeq()
                + " UNION ALL SELECT " + stored + " FROM " + Sql.preimages(t);
        return exportedRows(
                plan.mode(),
                plan.mode() == Mode.SNAPSHOT ? asOf : "SELECT * FROM (" + asOf + ") WHERE _seq > " + plan.fromSeq(),
                t);
    }

    /**
     * What a file holds, from stored rows (declared columns, {@code _seq}, {@code _deleted}) already
     * limited to the export's range: live rows for a snapshot, every row with an {@code _op} for changes.
     */
    static String exportedRows(Mode mode, String stored, TableDef t) {
        String columns = t.columns().stream().map(DuckDbParquet::exported).collect(Collectors.joining(", "));
        if (mode == Mode.SNAPSHOT) {
            return "SELECT " + columns + ", _seq FROM (" + stored + ") WHERE NOT _deleted";
        }
        return "SELECT " + columns + ", _seq, CASE WHEN _deleted THEN 'delete' ELSE 'upsert' END AS _op FROM (" + stored
                + ") ORDER BY " + Sql.key(t);
    }

    private static String exported(Column c) {
        // JSON columns are kept as text; the JSON type makes DuckDB mark them as JSON in Parquet.
        return c.type().kind() == ColumnType.Kind.JSON
                ? "CAST(" + quote(c.name()) + " AS JSON) AS " + quote(c.name())
                : quote(c.name());
    }

    static long restore(Connection c, TableDef t, List<Path> snapshot, List<List<Path>> changes, long lastSeq)
            throws SQLException {
        String table = quote(t.name());
        String columns = Sql.columns(t);
        try (Statement st = c.createStatement()) {
            if (!snapshot.isEmpty()) {
                st.execute("INSERT INTO " + table + " (" + columns + ", _seq, _deleted) SELECT " + columns
                        + ", _seq, false FROM " + read(snapshot));
            }
            for (List<Path> files : changes) {
                if (!files.isEmpty()) {
                    st.execute("INSERT OR REPLACE INTO " + table + " (" + columns + ", _seq, _deleted) SELECT "
                            + columns + ", _seq, _op = 'delete' FROM " + read(files));
                }
            }
            st.execute("UPDATE _eider_meta SET last_seq = greatest(last_seq, " + lastSeq + ")");
            // Exports made under an older, nullable declaration may hold NULL: the next start checks again.
            SchemaRules.forgetNonNull(c, t);
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table + " WHERE NOT _deleted")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static String read(List<Path> files) {
        return "read_parquet([" + files.stream().map(DuckDbParquet::path).collect(Collectors.joining(", "))
                + "], hive_partitioning = false, union_by_name = true)";
    }

    static String path(Path p) {
        return Sql.literal(p.toAbsolutePath().toString());
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Orders {@code part-2} before {@code part-10}. */
    static int naturalOrder(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (Character.isDigit(x) && Character.isDigit(y)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                int cmp = new java.math.BigInteger(a.substring(si, i))
                        .compareTo(new java.math.BigInteger(b.substring(sj, j)));
                if (cmp != 0) {
                    return cmp;
                }
            } else {
                if (x != y) {
                    return Character.compare(x, y);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
