package dev.eider.cli;

import dev.eider.Eider;
import dev.eider.Storage;
import dev.eider.config.ConfigException;
import dev.eider.config.EiderConfig;
import dev.eider.config.ExportSettings.Mode;
import dev.eider.export.ExportPlan;
import dev.eider.export.ExportService;
import dev.eider.export.ExportState;
import dev.eider.export.ExportTarget;
import dev.eider.export.ExportTargets;
import dev.eider.ingest.Writes;
import dev.eider.table.Catalog;
import dev.eider.table.TableDef;
import dev.eider.table.UnknownTableException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eider export}: finishes any unfinished export, runs one export per table, and exits. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description =
                "Export every table (or one) now and exit, for cron and CI. It opens the database file itself, so "
                        + "stop the service first; to export from a running service, use POST /v1/exports.")
public final class ExportCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(
            names = "--table",
            paramLabel = "TABLE",
            description = "The table to export (default: every declared table).")
    String table;

    @Option(
            names = "--mode",
            paramLabel = "snapshot|changes",
            description =
                    "What to write: every live record (snapshot) or the changes since the last export (default: as the table's schedule would).")
    String mode;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        EiderConfig config = options.load();
        // Every setting and flag is checked before anything is opened: a bad one exits 2 and changes no file.
        Eider.checkTargets(config);
        Catalog catalog = new Catalog(config.tables());
        Mode chosen;
        List<TableDef> tables;
        try {
            chosen = mode == null ? null : Mode.parse(mode);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--mode: " + e.getMessage());
        }
        try {
            tables = table == null ? List.copyOf(catalog.tables()) : List.of(catalog.require(table));
        } catch (UnknownTableException e) {
            throw new ConfigException("--table: " + e.getMessage());
        }
        var out = spec.commandLine().getOut();
        int failures = 0;
        try (Storage storage = Storage.open(config.store(), catalog);
                // Replays acknowledged writes a crash left in the log, so the export includes them.
                Writes queue = Eider.openQueue(config, storage, catalog);
                ExportTarget target = ExportTargets.open(
                        config.export().target(), config.export().s3());
                ExportService service = Eider.exportService(config, storage.exports(), catalog, target, queue)) {
            for (TableDef t : tables) {
                long started = System.nanoTime();
                try {
                    ExportPlan done = service.runNow(
                            t,
                            chosen,
                            (plan, message) -> out.printf("[export %d] %s: %s%n", plan.id(), plan.table(), message)
                                    .flush());
                    if (done.state() == ExportState.SKIPPED) {
                        out.printf(
                                "%s: nothing new since the last export (sequence %d); export %d skipped, nothing written%n",
                                t.name(), done.toSeq(), done.id());
                        continue;
                    }
                    out.printf(
                            "%s: %s export %d of (%d, %d] succeeded: %d rows, %d bytes, %d files, %d ms, manifest %s%n",
                            t.name(),
                            done.mode().wireName(),
                            done.id(),
                            done.fromSeq(),
                            done.toSeq(),
                            done.rows(),
                            done.bytes(),
                            done.files().size(),
                            Duration.ofNanos(System.nanoTime() - started).toMillis(),
                            done.manifestKey());
                } catch (RuntimeException e) {
                    failures++;
                    spec.commandLine().getErr().println("eider: export of " + t.name() + " failed: " + e.getMessage());
                }
            }
        }
        out.flush();
        return failures == 0 ? 0 : 1;
    }
}
