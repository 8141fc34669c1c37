package dev.eider.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eider.export.ExportTarget;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a reader finds in a target: follows a table's head to its manifests, downloads the files
 * they list and reads them with DuckDB (in-memory), as any outside reader would.
 */
public final class ExportedTable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExportTarget target;
    private final Path dir;

    public ExportedTable(ExportTarget target, Path dir) {
        this.target = target;
        this.dir = dir;
    }

    public JsonNode head(String table) {
        return json(table + "/_head.json");
    }

    public JsonNode json(String key) {
        try {
            return JSON.readTree(target.read(key).orElseThrow(() -> new AssertionError("no object at " + key)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Downloads the files a manifest lists. */
    public List<Path> files(String manifestKey) {
        JsonNode manifest = json(manifestKey);
        List<Path> files = new ArrayList<>();
        for (JsonNode f : manifest.path("files")) {
            Path local = dir.resolve(f.path("key").asText());
            target.download(f.path("key").asText(), local);
            files.add(local);
        }
        return files;
    }

    /**
     * Applies the head's snapshot and then its change exports in order, as a reader would, checking
     * on the way that change ranges meet, every change lies in its export's range, no change is
     * exported twice and no key appears twice in one export. Returns value by key.
     */
    public Map<Long, String> replay(String table, String valueColumn) {
        JsonNode head = head(table);
        Map<Long, String> state = new TreeMap<>();
        long through = 0;
        if (!head.path("snapshot").isNull() && !head.path("snapshot").isMissingNode()) {
            for (String row : query(
                    files(head.path("snapshot").path("manifest").asText()), "SELECT id, " + valueColumn + " FROM f")) {
                String[] p = row.split("\\|");
                assertThat(state.put(Long.parseLong(p[0]), p[1]))
                        .as("id %s twice in the snapshot", p[0])
                        .isNull();
            }
            through = head.path("snapshot").path("to_sequence").asLong();
        }
        Set<String> seen = new HashSet<>();
        for (JsonNode link : head.path("changes")) {
            assertThat(link.path("from_sequence").asLong())
                    .as("change ranges meet")
                    .isEqualTo(through);
            long to = link.path("to_sequence").asLong();
            Set<Long> ids = new HashSet<>();
            for (String row :
                    query(files(link.path("manifest").asText()), "SELECT id, " + valueColumn + ", _op, _seq FROM f")) {
                String[] p = row.split("\\|");
                long id = Long.parseLong(p[0]);
                long seq = Long.parseLong(p[3]);
                assertThat(seq)
                        .as("sequence inside its export's range")
                        .isGreaterThan(through)
                        .isLessThanOrEqualTo(to);
                assertThat(seen.add(id + "@" + seq))
                        .as("change %s@%s exported once", id, seq)
                        .isTrue();
                assertThat(ids.add(id)).as("id %s once per export", id).isTrue();
                if (p[2].equals("delete")) {
                    state.remove(id);
                } else {
                    state.put(id, p[1]);
                }
            }
            through = to;
        }
        return state;
    }

    /** Rows of a query over {@code files} (bound as the view {@code f}), each row's values joined by '|'. */
    public static List<String> query(List<Path> files, String sql) {
        if (files.isEmpty()) {
            return List.of();
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = c.createStatement()) {
            String list = files.stream().map(p -> "'" + p + "'").collect(Collectors.joining(", "));
            st.execute("CREATE VIEW f AS SELECT * FROM read_parquet([" + list + "], hive_partitioning = false)");
            return rows(st, sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<String> rows(Statement st, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    values.add(rs.getString(i));
                }
                rows.add(String.join("|", values));
            }
        }
        return rows;
    }

    public static void deleteTree(Path p) throws IOException {
        if (Files.exists(p)) {
            try (var s = Files.walk(p)) {
                s.sorted(java.util.Comparator.reverseOrder())
                        .forEach(x -> x.toFile().delete());
            }
        }
    }
}
