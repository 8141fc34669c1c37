package dev.eider.bench;

import dev.eider.Eider;
import dev.eider.Storage;
import dev.eider.config.EiderConfig;
import dev.eider.config.ExportSettings.Mode;
import dev.eider.config.S3Config;
import dev.eider.export.ExportPlan;
import dev.eider.export.ExportProgress;
import dev.eider.export.ExportService;
import dev.eider.export.S3Target;
import dev.eider.ingest.Writes;
import dev.eider.store.Mutation;
import dev.eider.store.WriteBatch;
import dev.eider.store.duckdb.DuckDbStore;
import dev.eider.table.Catalog;
import dev.eider.table.TableDef;
import dev.eider.testing.S3ProxyServer;
import dev.eider.testing.TestConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;

/**
 * Export benchmark (not a test), for each table size given: a snapshot to S3Proxy on loopback against
 * DuckDB's own COPY of the same rows to a local Parquet file and a plain upload of that file; then change
 * exports of 1,000 rows changed through Eider's write path, once with contiguous ids and once with ids
 * scattered over the whole table, each beside the three small PUTs (data, manifest, head) a change export
 * cannot avoid, timed right after it in the same round. Run by {@code bench/export-bench.sh}.
 */
public final class ExportBench {

    /**
     * Change exports (and their references) are timed this often and reported by the medians of rounds 2 on:
     * one export takes tens of milliseconds, and this machine's load moves single ones by half.
     */
    private static final int ROUNDS = 15;

    private static final int CHANGED = 1000;

    /** Snapshots and their references are each timed this often and reported by the medians of rounds 2 on. */
    private static final int SNAPSHOT_ROUNDS = 5;

    public static void main(String[] args) throws Exception {
        long[] sizes = args.length == 0
                ? new long[] {1_000_000L, 10_000_000L}
                : Arrays.stream(args).mapToLong(Long::parseLong).toArray();
        List<String> summary = new ArrayList<>();
        for (long rows : sizes) {
            summary.addAll(run(rows));
        }
        System.out.println();
        summary.forEach(System.out::println);
    }

    private static List<String> run(long rows) throws Exception {
        System.out.printf("%n== %,d rows ==%n", rows);
        Path dir = Files.createTempDirectory("eider-export-bench");
        // -Ds3.endpoint: an S3Proxy of S3ProxyMain's in another process (bench/export-bench.sh with S3_ELSEWHERE=1).
        String elsewhere = System.getProperty("s3.endpoint");
        if (elsewhere != null) {
            System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
            System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
        }
        try (S3ProxyServer local = elsewhere == null ? S3ProxyServer.start(dir, "bench") : null) {
            String endpoint = elsewhere == null ? local.endpoint() : elsewhere;
            EiderConfig config = TestConfig.in(
                    dir,
                    "",
                    Map.of(
                            "export.target",
                            "s3://bench/eider",
                            "export.s3.endpoint",
                            endpoint,
                            "export.s3.path_style",
                            "true",
                            "storage.memory_limit",
                            "512MB"));
            Catalog catalog = new Catalog(config.tables());
            TableDef t = catalog.require("records");
            time(
                    "load " + rows + " rows",
                    () -> timedSql(
                            config,
                            catalog,
                            null,
                            "INSERT INTO records SELECT i, 'value-' || i, i, false FROM range(1, " + (rows + 1)
                                    + ") r(i)",
                            "UPDATE _eider_meta SET last_seq = " + rows));
            try (S3Target target = new S3Target(
                    S3Target.client(S3ProxyServer.config(endpoint)),
                    "bench",
                    "eider",
                    64L << 20,
                    Long.getLong("part.size", S3Config.DEFAULT_PART_SIZE.bytes()))) {
                warmUp(target, dir);
                Path ref = dir.resolve("reference.parquet");
                double[] copies = new double[SNAPSHOT_ROUNDS];
                double[] uploads = new double[SNAPSHOT_ROUNDS];
                double[] snapshots = new double[SNAPSHOT_ROUNDS];
                double[] afterCopy = new double[SNAPSHOT_ROUNDS];
                List<String> out = new ArrayList<>();
                try (Storage storage = Storage.open(config.store(), catalog);
                        Writes queue = Eider.openQueue(config, storage, catalog)) {
                    ExportService service = Eider.exportService(config, storage.exports(), catalog, target, queue);
                    // Rounds alternate the references and the snapshot, so that the machine's load changes
                    // all three alike.
                    for (int r = 0; r < SNAPSHOT_ROUNDS; r++) {
                        copies[r] = timedSql(
                                (DuckDbStore) storage.records(),
                                "reference: DuckDB COPY to a local Parquet file, round " + (r + 1),
                                "COPY (SELECT id, value, _seq FROM records WHERE NOT _deleted) TO '" + ref
                                        + "' (FORMAT PARQUET, COMPRESSION zstd)");
                        uploads[r] = time(
                                "reference: plain upload of that file (" + Files.size(ref) / (1 << 20) + " MiB), round "
                                        + (r + 1),
                                () -> target.put("reference.parquet", ref, "-"));
                        if (r > 0) {
                            // A snapshot of a table unchanged since the last one is skipped.
                            queue.submit(new WriteBatch.Rows(
                                            List.of(Mutation.upsert(t, new Object[] {1L, "snapshot-" + r}))))
                                    .get();
                            queue.awaitVisible();
                        }
                        Timed run = export(service, t, Mode.SNAPSHOT);
                        snapshots[r] = run.seconds();
                        afterCopy[r] = run.afterWrite();
                    }
                    // As for change exports: round 1 runs Eider's export path in a barely warm JVM.
                    double copy = median(Arrays.copyOfRange(copies, 1, SNAPSHOT_ROUNDS));
                    double upload = median(Arrays.copyOfRange(uploads, 1, SNAPSHOT_ROUNDS));
                    double snapshot = median(Arrays.copyOfRange(snapshots, 1, SNAPSHOT_ROUNDS));
                    double after = median(Arrays.copyOfRange(afterCopy, 1, SNAPSHOT_ROUNDS));
                    out.add(String.format(
                            "%,d rows: snapshot %.3f s / max(COPY %.3f, upload %.3f) = %.2f (target <= 1.1);"
                                    + " sum %.3f s; after its own COPY the snapshot took %.3f s",
                            rows, snapshot, copy, upload, snapshot / Math.max(copy, upload), copy + upload, after));
                    out.add(String.format(
                            "%,d rows: snapshot rounds %s s (after its COPY %s s), COPY rounds %s s, upload rounds %s s",
                            rows,
                            Arrays.toString(snapshots),
                            Arrays.toString(afterCopy),
                            Arrays.toString(copies),
                            Arrays.toString(uploads)));
                    if (System.getenv("SNAPSHOTS_ONLY") != null) {
                        return out;
                    }
                    // A service exports again and again: change exports are timed once the JIT has compiled their
                    // path (a CPU profile of a cold run put about 40 % of the machine in the compiler threads),
                    // and after a snapshot, so that the head's list of change exports starts anew.
                    changes(service, queue, target, dir, t, "warm-up", i -> i + 1);
                    queue.submit(new WriteBatch.Rows(List.of(Mutation.upsert(t, new Object[] {1L, "warm"}))))
                            .get();
                    queue.awaitVisible();
                    export(service, t, Mode.SNAPSHOT);
                    Changes contiguous = changes(service, queue, target, dir, t, "contiguous ids 1..1000", i -> i + 1);
                    long step = Math.max(1, rows / CHANGED);
                    Changes scattered = changes(
                            service,
                            queue,
                            target,
                            dir,
                            t,
                            "scattered ids (every " + step + "th)",
                            i -> (i + 1) * step);
                    out.add(String.format(
                            "%,d rows: changes contiguous %.1f ms = %.2fx its 3-PUT floor %.1f ms, scattered %.1f ms ="
                                    + " %.2fx its floor %.1f ms (target <= 2)",
                            rows,
                            1000 * contiguous.export(),
                            contiguous.ratio(),
                            1000 * contiguous.floor(),
                            1000 * scattered.export(),
                            scattered.ratio(),
                            1000 * scattered.floor()));
                }
                return out;
            }
        }
    }

    /** Medians of a change export and of the three PUTs it cannot avoid, over the same rounds. */
    private record Changes(double export, double floor) {

        double ratio() {
            return export / floor;
        }
    }

    /**
     * Changes the same 1,000 rows through the write queue before each of several change exports, times each
     * export and right after it the writes it cannot avoid (data, manifest and head, one after the other;
     * here 32 KiB, 2 KiB and 2 KiB, where a 1,000-row change file is about 4 to 20 KiB), and answers the
     * medians of rounds 2 on (round 1 runs in a barely warm JVM). Timing both in every round lets the
     * machine's load change them alike.
     */
    private static Changes changes(
            ExportService service,
            Writes queue,
            S3Target target,
            Path dir,
            TableDef t,
            String what,
            LongUnaryOperator id)
            throws Exception {
        Path data = Files.write(dir.resolve("data.bin"), new byte[32 << 10]);
        Path small = Files.write(dir.resolve("small.bin"), new byte[2 << 10]);
        double[] exports = new double[ROUNDS];
        double[] floors = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            List<Mutation> m = new ArrayList<>(CHANGED);
            for (int i = 0; i < CHANGED; i++) {
                long key = id.applyAsLong(i);
                m.add(Mutation.upsert(t, new Object[] {key, "changed-" + r + "-" + key}));
            }
            queue.submit(new WriteBatch.Rows(m)).get();
            queue.awaitVisible();
            System.out.printf("changed 1,000 rows, %s, round %d%n", what, r + 1);
            exports[r] = export(service, t, Mode.CHANGES).seconds();
            String prefix = "floor/" + what.replaceAll("[^a-z0-9]+", "-") + "/" + r;
            floors[r] = time("reference: 3 PUTs (data, manifest, head), round " + (r + 1), () -> {
                target.create(prefix + "/data.parquet", data, "-");
                target.create(prefix + "/manifest.json", small, "-");
                target.put("floor/_head.json", small, "-");
            });
        }
        Changes c = new Changes(
                median(Arrays.copyOfRange(exports, 1, ROUNDS)), median(Arrays.copyOfRange(floors, 1, ROUNDS)));
        System.out.printf(
                "  changes export, %s: round 1 %.3f s; medians of rounds 2..%d: export %.3f s, 3-PUT floor %.3f s%n",
                what, exports[0], ROUNDS, c.export(), c.floor());
        return c;
    }

    /** Loads the S3 client's and S3Proxy's classes and opens connections, so that no reference pays for that. */
    private static void warmUp(S3Target target, Path dir) throws Exception {
        Path file = Files.write(dir.resolve("warm.bin"), new byte[6 << 20]);
        for (int i = 0; i < 5; i++) {
            target.put("warm-up", file, "-");
        }
        // Over the multipart threshold: S3Proxy's first CompleteMultipartUpload loads its XML reader (about
        // 0.4 s), which otherwise lands in whichever of the timed uploads completes a multipart upload first.
        Path large = Files.write(dir.resolve("warm-multipart.bin"), new byte[70 << 20]);
        target.put("warm-up-multipart", large, "-");
        Files.delete(large);
    }

    /** An export's time, and how much of it came after DuckDB had written its Parquet. */
    private record Timed(double seconds, double afterWrite) {}

    /** Times one export on the open service. */
    private static Timed export(ExportService service, TableDef t, Mode mode) throws Exception {
        ExportPlan[] done = new ExportPlan[1];
        long[] written = new long[1];
        ExportProgress progress = (plan, message) -> {
            if (message.startsWith("wrote ")) {
                written[0] = System.nanoTime();
            }
        };
        double s = time("eider: " + mode.wireName() + " export", () -> done[0] = service.runNow(t, mode, progress));
        double after = (System.nanoTime() - written[0]) / 1e9;
        System.out.printf(
                "  %s: %d rows, %d bytes, %d files; %.3f s after its COPY%n",
                mode.wireName(),
                done[0].rows(),
                done[0].bytes(),
                done[0].files().size(),
                after);
        return new Timed(s, after);
    }

    /** Runs statements on an open store; times them when {@code what} is given. */
    private static double timedSql(EiderConfig config, Catalog catalog, String what, String... statements)
            throws Exception {
        try (DuckDbStore store = DuckDbStore.open(TestConfig.duckDb(config), catalog)) {
            return timedSql(store, what, statements);
        }
    }

    private static double timedSql(DuckDbStore store, String what, String... statements) throws Exception {
        Step run = () -> store.exclusive(c -> {
            try (Statement st = c.createStatement()) {
                for (String s : statements) {
                    st.execute(s);
                }
            }
            return null;
        });
        if (what == null) {
            run.run();
            return 0;
        }
        return time(what, run);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private interface Step {
        void run() throws Exception;
    }

    private static double time(String what, Step step) throws Exception {
        long t0 = System.nanoTime();
        step.run();
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%-60s %8.3f s%n", what, s);
        return s;
    }
}
