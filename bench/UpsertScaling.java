import dev.eider.config.DataSize;
import dev.eider.config.StoreConfig;
import dev.eider.store.DuckDbStore;
import dev.eider.store.Mutation;
import dev.eider.store.WriteBatch;
import dev.eider.table.Catalog;
import dev.eider.table.TableDef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How upsert speed holds up as a table grows: Eider's own store applies batches of random-id
 * upserts (as the applier does) until the table holds TARGET rows, printing rows/s per million.
 *
 * <p>java -cp target/eider.jar bench/UpsertScaling.java <rows> <batch> <checkpoint_threshold> <memory_limit> <threads>
 */
public class UpsertScaling {
  /** A permutation of [0, n): consecutive numbers land all over the key range, which stays dense. */
  static long mix(long x, long n) {
    return Math.floorMod(x * 7_368_787L, n);
  }

  public static void main(String[] args) throws Exception {
    long target = Long.parseLong(args[0]);
    int batchRows = Integer.parseInt(args[1]);
    StoreConfig config =
        new StoreConfig(
            Files.createTempDirectory("eider-scaling").resolve("data.db"),
            null,
            DataSize.parse(args[3]),
            Integer.parseInt(args[4]),
            DataSize.parse(args[2]));
    TableDef t = TableDef.DEFAULT;
    SplittableRandom random = new SplittableRandom(42);
    long seq = 1;
    long inserted = 0;
    long step = Math.max(1, target / 10);
    System.out.printf("rows=%d batch=%d checkpoint_threshold=%s memory_limit=%s threads=%s%n", target, batchRows, args[2], args[3], args[4]);
    try (DuckDbStore store = DuckDbStore.open(config, new Catalog(List.of()))) {
      long written = 0;
      long sliceStart = System.nanoTime();
      long start = sliceStart;
      while (inserted < target) {
        List<Mutation> rows = new ArrayList<>(batchRows);
        for (int i = 0; i < batchRows; i++) {
          // Random ids in [0, rows): four in five are new keys, one in five updates an existing key.
          long id = random.nextInt(5) == 0 && inserted > 0 ? mix(random.nextLong(inserted), target) : mix(inserted++, target);
          rows.add(Mutation.upsert(t, new Object[] {id, "value-" + id + "-" + seq}));
        }
        store.apply(new WriteBatch(List.of(new WriteBatch.Sequenced(new WriteBatch.Rows(rows), seq))));
        seq += batchRows;
        written += batchRows;
        if (written / step != (written - batchRows) / step) {
          long now = System.nanoTime();
          System.out.printf("  after %,d writes: %,.0f rows/s (table %,d rows)%n", written, step / ((now - sliceStart) / 1e9), store.count(t));
          sliceStart = now;
        }
      }
      System.out.printf("total: %,.0f rows/s%n", written / ((System.nanoTime() - start) / 1e9));
    }
  }
}
