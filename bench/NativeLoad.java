import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;

/**
 * The reference for the bulk benchmark: DuckDB's own load of an NDJSON file into a fresh file
 * database with Eider's table layout, as INSERT OR REPLACE ... SELECT FROM read_json(...).
 * Prints the seconds it took. java -cp target/eider.jar bench/NativeLoad.java <file.ndjson> <threads>
 */
public class NativeLoad {
  public static void main(String[] args) throws Exception {
    Path db = Files.createTempDirectory("eider-native").resolve("native.db");
    Properties p = new Properties();
    p.setProperty("threads", args[1]);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db, p);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE records (id BIGINT, value VARCHAR, _seq BIGINT NOT NULL, _deleted BOOLEAN NOT NULL, PRIMARY KEY (id))");
      long start = System.nanoTime();
      st.execute(
          "INSERT OR REPLACE INTO records SELECT id, value, row_number() OVER (), false FROM read_json('" + args[0]
              + "', format = 'newline_delimited', columns = {id: 'BIGINT', value: 'VARCHAR'})");
      System.out.printf("%.3f%n", (System.nanoTime() - start) / 1e9);
    }
  }
}
