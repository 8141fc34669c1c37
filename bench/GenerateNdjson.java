import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes N records {"id", "value"} as NDJSON: java bench/GenerateNdjson.java <file> <n> */
public class GenerateNdjson {
  public static void main(String[] args) throws Exception {
    long n = Long.parseLong(args[1]);
    try (BufferedWriter w = Files.newBufferedWriter(Path.of(args[0]))) {
      for (long i = 0; i < n; i++) {
        long id = (i * 0x9E3779B97F4A7C15L) >>> 1; // random-looking, distinct ids
        w.write("{\"id\":" + id + ",\"value\":\"value-" + i + "-xxxxxxxxxxxxxxxxxxxx\"}\n");
      }
    }
  }
}
