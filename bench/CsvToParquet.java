import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;

/**
 * Second half of the export reference: DuckDB's own conversion of a CSV file (id, value, _seq, as
 * psql's COPY wrote it) to one zstd Parquet file, the format Eider exports. Prints the seconds it took.
 * java -cp "$(cat target/bench.classpath)" bench/CsvToParquet.java <in.csv> <out.parquet> <threads>
 */
public class CsvToParquet {
  public static void main(String[] args) throws Exception {
    Properties p = new Properties();
    p.setProperty("threads", args[2]);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:", p);
        Statement st = c.createStatement()) {
      long start = System.nanoTime();
      st.execute("COPY (SELECT * FROM read_csv('" + args[0] + "', header = false, columns = {id: 'BIGINT', "
          + "value: 'VARCHAR', _seq: 'BIGINT'})) TO '" + args[1] + "' (FORMAT PARQUET, COMPRESSION zstd)");
      System.out.printf("%.3f%n", (System.nanoTime() - start) / 1e9);
    }
  }
}
