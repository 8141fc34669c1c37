import java.sql.*; import java.util.*;
/**
 * Does the export's row-group bound (ROW_GROUP_SIZE_BYTES 8MB, DuckDbParquet) change the Parquet files of a table
 * of small rows, or their time? 10M rows of a key and a ~30-byte text, COPY with and without it, alternating.
 *
 * <p>java -cp target/eider.jar bench/RowGroupBound.java [dir]
 */
public class RowGroupBound { public static void main(String[] a) throws Exception {
  String dir = a.length > 0 ? a[0] : System.getProperty("java.io.tmpdir") + "/eider-rowgroup";
  new java.io.File(dir).mkdirs();
  Properties p = new Properties(); p.setProperty("memory_limit","256MB"); p.setProperty("threads","2"); p.setProperty("preserve_insertion_order","false");
  try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir + "/r.db", p); Statement st = c.createStatement()) {
    st.execute("CREATE TABLE IF NOT EXISTS t AS SELECT i::BIGINT AS id, 'value-' || i || '-xxxxxxxxxxxxxxxxxxxx' AS value, i::BIGINT AS _seq FROM range(10000000) r(i)");
    for (int round = 0; round < 3; round++) for (String opt : List.of("", ", ROW_GROUP_SIZE_BYTES 8388608")) {
      long t0 = System.nanoTime();
      st.execute("COPY (SELECT * FROM t) TO '" + dir + "/o.parquet' (FORMAT PARQUET, COMPRESSION zstd" + opt + ")");
      long ms = (System.nanoTime() - t0) / 1_000_000;
      try (ResultSet rs = st.executeQuery("SELECT count(DISTINCT row_group_id), max(row_group_num_rows) FROM parquet_metadata('" + dir + "/o.parquet')")) { rs.next();
        System.out.printf("round %d %-10s %5d ms  row groups %d (max rows %d)  %d bytes%n", round, opt.isEmpty() ? "rows only" : "8MB bound", ms, rs.getLong(1), rs.getLong(2), new java.io.File(dir + "/o.parquet").length()); }
    }
  }
}}
