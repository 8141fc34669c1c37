package dev.eider.cli;

import dev.eider.Eider;
import dev.eider.config.ConfigException;
import dev.eider.config.EiderConfig;
import dev.eider.config.StoreConfig;
import dev.eider.export.ExportTarget;
import dev.eider.export.ExportTargets;
import dev.eider.export.TargetCheck;
import dev.eider.store.StoreException;
import dev.eider.store.duckdb.DuckDbStore;
import dev.eider.store.postgres.NoFileReferences;
import dev.eider.table.Catalog;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code eider check}: a preflight before {@code serve}. One line per check, named by the setting
 * to change when it fails; exit code 0 when all pass, 1 when any fails, 2 for a bad configuration.
 */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Check the configuration, the database and the export target, and exit non-zero if any fails.",
            "The target check writes, reads back and deletes a probe object; nothing else is changed."
        })
public final class CheckCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    private int failures;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        EiderConfig config;
        try {
            config = options.load();
        } catch (ConfigException e) {
            line(out, false, "configuration", e.getMessage());
            return 2;
        }
        Catalog catalog = new Catalog(config.tables());
        try {
            // What serve refuses at start (exit 2) the check refuses too, rather than say "ok".
            Eider.checkTargets(config);
            if (config.store() instanceof StoreConfig.Postgres) {
                NoFileReferences.refuseFileColumns(catalog);
            }
        } catch (ConfigException e) {
            line(out, false, "configuration", e.getMessage());
            out.flush();
            return 2;
        }
        line(
                out,
                true,
                "configuration",
                catalog.tables().size() + " table(s), export target "
                        + config.export().target());
        checkDatabase(out, config.store());
        boolean targetConfigured = checkTarget(out, config);
        out.flush();
        return !targetConfigured ? 2 : failures == 0 ? 0 : 1;
    }

    private void checkDatabase(PrintWriter out, StoreConfig store) {
        if (store instanceof StoreConfig.DuckDb duckDb) {
            checkDuckDb(out, duckDb);
        } else if (store instanceof StoreConfig.Postgres pg) {
            checkPostgres(out, pg);
        }
    }

    private void checkPostgres(PrintWriter out, StoreConfig.Postgres pg) {
        try (Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password())) {
            line(out, c.isValid(5), "storage.database", pg.describe() + " answers");
        } catch (SQLException e) {
            line(out, false, "storage.database", "cannot connect to " + pg.describe() + ": " + e.getMessage());
        }
    }

    private void checkDuckDb(PrintWriter out, StoreConfig.DuckDb store) {
        Path file = store.dataFile();
        if (!Files.exists(file)) {
            Path folder = file.toAbsolutePath().getParent();
            boolean writable = Files.isDirectory(folder) && Files.isWritable(folder);
            line(
                    out,
                    writable,
                    "storage.path",
                    writable
                            ? file + " does not exist yet; serve creates it"
                            : file + " does not exist and its folder " + folder + " is missing or not writable");
            return;
        }
        try {
            DuckDbStore.probe(store);
        } catch (StoreException e) {
            line(out, false, "storage.path", e.getMessage());
            return;
        }
        // The probe opens the file read-only, which a read-only filesystem allows; serve writes the file, DuckDB's
        // own log beside it and Eider's write-ahead log folder beside that.
        Path folder = file.toAbsolutePath().getParent();
        boolean writable = Files.isWritable(file) && canCreateIn(folder);
        line(
                out,
                writable,
                "storage.path",
                writable
                        ? file + " opens"
                        : file + " opens, but it or its folder " + folder + " cannot be written (a read-only"
                                + " filesystem, or another owner)");
    }

    /** Whether a file can be created in {@code folder}: the one answer a read-only filesystem gives for sure. */
    private static boolean canCreateIn(Path folder) {
        try {
            Files.delete(Files.createTempFile(folder, ".eider-check-", ".tmp"));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Checks the export target; false when its setting itself is invalid (a configuration error, exit 2). */
    private boolean checkTarget(PrintWriter out, EiderConfig config) {
        try (ExportTarget target =
                ExportTargets.open(config.export().target(), config.export().s3())) {
            for (TargetCheck.Result r : TargetCheck.each(target, config.export().workDir())) {
                line(out, r.ok(), r.setting(), r.detail());
            }
        } catch (ConfigException e) {
            line(out, false, "export.target", e.getMessage());
            return false;
        } catch (RuntimeException e) {
            // A target URI or S3 setting the client refuses, such as s3:// without a bucket.
            line(out, false, "export.target", e.getMessage());
        }
        return true;
    }

    private void line(PrintWriter out, boolean ok, String setting, String detail) {
        if (!ok) {
            failures++;
        }
        out.printf("%-4s  %-14s  %s%n", ok ? "ok" : "FAIL", setting, detail);
    }
}
