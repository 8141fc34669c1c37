package dev.eider.bench;

import dev.eider.Eider;
import dev.eider.Storage;
import dev.eider.config.EiderConfig;
import dev.eider.config.ExportSettings.Mode;
import dev.eider.export.ExportPlan;
import dev.eider.export.ExportProgress;
import dev.eider.export.ExportService;
import dev.eider.export.S3Target;
import dev.eider.ingest.Writes;
import dev.eider.store.duckdb.DuckDbStore;
import dev.eider.table.Catalog;
import dev.eider.table.TableDef;
import dev.eider.testing.S3ProxyServer;
import dev.eider.testing.TestConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.Map;

/**
 * Export benchmark (not a test): a snapshot of an N-row table to S3Proxy on loopback against
 * DuckDB's own COPY of the same table to a local Parquet file plus a plain upload of that file, and
 * a changes export of 1,000 changed rows. Run by {@code bench/export-bench.sh}.
 */
public final class ExportBench {

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        Path dir = Files.createTempDirectory("eider-export-bench");
        try (S3ProxyServer s3 = S3ProxyServer.start(dir, "bench")) {
            EiderConfig config = TestConfig.in(
                    dir,
                    "",
                    Map.of(
                            "export.target",
                            "s3://bench/eider",
                            "export.s3.endpoint",
                            s3.endpoint(),
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
            S3Target target = new S3Target(S3Target.client(s3.config()), "bench", "eider", 64L << 20, 16L << 20);
            Path ref = dir.resolve("reference.parquet");
            double copy = timedSql(
                    config,
                    catalog,
                    "reference: DuckDB COPY to a local Parquet file",
                    "COPY (SELECT id, value, _seq FROM records WHERE NOT _deleted) TO '" + ref
                            + "' (FORMAT PARQUET, COMPRESSION zstd)");
            double upload = time(
                    "reference: plain upload of that file (" + Files.size(ref) / (1 << 20) + " MiB)",
                    () -> target.put("reference.parquet", ref, "-"));
            double snapshot = export(config, catalog, t, target, Mode.SNAPSHOT);
            floors(config, catalog, target, dir);
            // The same 1,000 rows (ids 1..1000, one row group) change before each of several change exports: the first
            // runs in a barely warm JVM, the later ones as in a long-running service. Both are reported.
            int rounds = 5;
            double[] changes = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long base = rows + r * 1000L;
                time(
                        "change 1,000 rows (ids 1..1000), round " + (r + 1),
                        () -> timedSql(
                                config,
                                catalog,
                                null,
                                "UPDATE records SET value = 'changed-' || id, _seq = " + base
                                        + " + id WHERE id <= 1000",
                                "UPDATE _eider_meta SET last_seq = " + (base + 1000)));
                changes[r] = export(config, catalog, t, target, Mode.CHANGES);
            }
            double first = changes[0];
            double median = median(java.util.Arrays.copyOfRange(changes, 1, rounds));
            long step = Math.max(1, rows / 1000);
            long base = rows + rounds * 1000L;
            time(
                    "change 1,000 scattered rows (every " + step + "th id)",
                    () -> timedSql(
                            config,
                            catalog,
                            null,
                            "UPDATE records SET value = 'scattered-' || id, _seq = " + base + " + id / " + step
                                    + " WHERE id % " + step + " = 0 AND id / " + step + " <= 1000",
                            "UPDATE _eider_meta SET last_seq = " + (base + 1000)));
            double scattered = export(config, catalog, t, target, Mode.CHANGES);
            System.out.printf("%nsnapshot / (copy + upload) = %.2f (target <= 2)%n", snapshot / (copy + upload));
            System.out.printf("changes (first) / snapshot = %.2f%% (target < 1%%)%n", 100 * first / snapshot);
            System.out.printf(
                    "changes (median of rounds 2..%d: %.3f s) / snapshot = %.2f%%%n",
                    rounds, median, 100 * median / snapshot);
            System.out.printf("scattered changes / snapshot = %.2f%%%n", 100 * scattered / snapshot);
            target.close();
        }
    }

    /**
     * The fixed costs a change export cannot go below: one small PUT (a change export makes three, in
     * order: data, manifest, head) and one durable DuckDB commit (it makes three: plan, file list, success).
     */
    private static void floors(EiderConfig config, Catalog catalog, S3Target target, Path dir) throws Exception {
        Path small = Files.write(dir.resolve("small.bin"), new byte[4096]);
        int n = 20;
        double puts = time("reference: " + n + " PUTs of 4 KiB", () -> {
            for (int i = 0; i < n; i++) {
                target.put("small-" + i, small, "-");
            }
        });
        System.out.printf("  mean %.2f ms per PUT%n", 1000 * puts / n);
        try (DuckDbStore store = DuckDbStore.open(TestConfig.duckDb(config), catalog)) {
            double commits = time("reference: " + n + " one-row DuckDB commits", () -> {
                for (int i = 0; i < n; i++) {
                    store.exclusive(c -> {
                        try (Statement st = c.createStatement()) {
                            st.execute("UPDATE _eider_meta SET last_seq = last_seq");
                        }
                        return null;
                    });
                }
            });
            System.out.printf("  mean %.2f ms per commit%n", 1000 * commits / n);
        }
    }

    /** Times one export on an open store (opening and closing the database are not timed). */
    private static double export(EiderConfig config, Catalog catalog, TableDef t, S3Target target, Mode mode)
            throws Exception {
        try (Storage storage = Storage.open(config.store(), catalog);
                Writes queue = Eider.openQueue(config, storage, catalog)) {
            ExportService service = Eider.exportService(config, storage.exports(), catalog, target, queue);
            ExportPlan[] done = new ExportPlan[1];
            double s = time(
                    "eider: " + mode.wireName() + " export",
                    () -> done[0] = service.runNow(t, mode, ExportProgress.NONE));
            System.out.printf(
                    "  %s: %d rows, %d bytes, %d files%n",
                    mode.wireName(),
                    done[0].rows(),
                    done[0].bytes(),
                    done[0].files().size());
            return s;
        }
    }

    /** Runs statements on an open store; times them when {@code what} is given. */
    private static double timedSql(EiderConfig config, Catalog catalog, String what, String... statements)
            throws Exception {
        try (DuckDbStore store = DuckDbStore.open(TestConfig.duckDb(config), catalog)) {
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
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
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
