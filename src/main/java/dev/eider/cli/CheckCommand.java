package dev.eider.cli;

import dev.eider.config.ConfigException;
import dev.eider.config.EiderConfig;
import dev.eider.config.StoreConfig;
import dev.eider.export.ExportTarget;
import dev.eider.export.ExportTargets;
import dev.eider.export.TargetCheck;
import dev.eider.store.StoreException;
import dev.eider.store.duckdb.DuckDbStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
            "Check the configuration, the database file and the export target (write, read back and delete",
            "a probe object), print one line per check and exit non-zero if any fails. Changes nothing."
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
        line(
                out,
                true,
                "configuration",
                config.tables().size() + " table(s), export target "
                        + config.export().target());
        checkDatabase(out, config.store());
        checkTarget(out, config);
        out.flush();
        return failures == 0 ? 0 : 1;
    }

    private void checkDatabase(PrintWriter out, StoreConfig config) {
        if (!(config instanceof StoreConfig.DuckDb store)) {
            line(out, true, "storage.database", config.describe() + " (opened at start)");
            return;
        }
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
            line(out, true, "storage.path", file + " opens");
        } catch (StoreException e) {
            line(out, false, "storage.path", e.getMessage());
        }
    }

    private void checkTarget(PrintWriter out, EiderConfig config) {
        try (ExportTarget target =
                ExportTargets.open(config.export().target(), config.export().s3())) {
            TargetCheck.Result r = TargetCheck.run(target, config.export().workDir());
            line(out, r.ok(), "export.target", r.detail());
        } catch (RuntimeException e) {
            // A target URI or S3 setting the client refuses, such as s3:// without a bucket.
            line(out, false, "export.target", e.getMessage());
        }
    }

    private void line(PrintWriter out, boolean ok, String setting, String detail) {
        if (!ok) {
            failures++;
        }
        out.printf("%-4s  %-14s  %s%n", ok ? "ok" : "FAIL", setting, detail);
    }
}
