package dev.eider.cli;

import dev.eider.Eider;
import dev.eider.Storage;
import dev.eider.config.EiderConfig;
import dev.eider.config.StoreConfig;
import dev.eider.export.ExportTarget;
import dev.eider.export.ExportTargets;
import dev.eider.export.Restorer;
import dev.eider.export.WorkFolder;
import dev.eider.ingest.Writes;
import dev.eider.store.duckdb.DuckDbStore;
import dev.eider.table.Catalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eider restore --from <target>}: rebuilds an empty database from exported snapshots and changes.
 * All or nothing: the restore goes into a new file beside the destination, which replaces the destination
 * only once every table is restored; on any failure the new file is deleted and the destination untouched.
 */
@Command(
        name = "restore",
        mixinStandardHelpOptions = true,
        description = "Rebuild an empty database from the newest exported snapshot and the change exports after it.")
public final class RestoreCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(
            names = "--from",
            required = true,
            paramLabel = "URI",
            description = "Where the exports are: s3://bucket/prefix or file:/path.")
    String from;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        EiderConfig config = options.load();
        // As serve, check and export do: a bad setting exits 2 before anything is opened.
        Eider.checkTargets(config);
        ExportTargets.locate("--from", from);
        Catalog catalog = new Catalog(config.tables());
        var out = spec.commandLine().getOut();
        if (!(config.store() instanceof StoreConfig.DuckDb duckDb)) {
            return intoDatabase(config, catalog);
        }
        Path data = duckDb.dataFile().toAbsolutePath();
        Path building = data.resolveSibling("." + data.getFileName() + ".restoring-" + UUID.randomUUID());
        boolean replaced = false;
        try (ExportTarget source =
                ExportTargets.open("--from", from, config.export().s3())) {
            refuseNonEmpty(config, catalog);
            Files.createDirectories(data.getParent());
            Map<String, Long> rows;
            try (WorkFolder work = WorkFolder.create(config.export().workDir());
                    Storage storage = Storage.open(at(duckDb, building), catalog)) {
                rows = new Restorer(storage.exports(), catalog, source, work.path(), out::println).restore();
            }
            Files.move(building, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            replaced = true;
            out.println("restored " + rows.size() + " table(s) into "
                    + config.store().describe() + " from " + source.describe());
            return 0;
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("eider: restore refused: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the restored database into place at " + data, e);
        } finally {
            if (!replaced) {
                deleteQuietly(building);
                deleteQuietly(Path.of(building + ".wal"));
            }
        }
    }

    /**
     * Into a database server (PostgreSQL): the store restores in one transaction of its own, so other
     * instances see every table or none.
     */
    private Integer intoDatabase(EiderConfig config, Catalog catalog) {
        var out = spec.commandLine().getOut();
        try (ExportTarget source =
                ExportTargets.open("--from", from, config.export().s3())) {
            refuseNonEmpty(config, catalog);
            Map<String, Long> rows;
            try (WorkFolder work = WorkFolder.create(config.export().workDir());
                    Storage storage = Storage.open(config.store(), catalog)) {
                rows = new Restorer(storage.exports(), catalog, source, work.path(), out::println).restore();
            }
            out.println("restored " + rows.size() + " table(s) into "
                    + config.store().describe() + " from " + source.describe());
            return 0;
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("eider: restore refused: " + e.getMessage());
            return 2;
        }
    }

    /**
     * A destination that exists must hold no record, counting acknowledged writes still in its log. A database
     * with rows is refused before its log is opened (a refusal changes nothing); only an empty one with a log
     * has it replayed, as a start would, to learn whether the log holds records.
     */
    @SuppressWarnings("try") // the write queue is opened for its replay, not used in the body
    private static void refuseNonEmpty(EiderConfig config, Catalog catalog) {
        if (config.store() instanceof StoreConfig.DuckDb d) {
            if (!Files.exists(d.dataFile())) {
                return;
            }
            // Asked of the file opened read-only: a refusal changes nothing, not even the file's bytes.
            if (DuckDbStore.holdsRows(d, catalog)) {
                throw notEmpty();
            }
            if (!Files.exists(Storage.logDirectory(d))) {
                return;
            }
        }
        try (Storage storage = Storage.open(config.store(), catalog);
                Writes queue = Eider.openQueue(config, storage, catalog)) {
            if (!storage.exports().isEmpty()) {
                throw notEmpty();
            }
        }
    }

    private static IllegalStateException notEmpty() {
        return new IllegalStateException("the database is not empty: restore only rebuilds an empty database;"
                + " point --data at a new file, or --database at an empty database");
    }

    private static StoreConfig at(StoreConfig.DuckDb config, Path file) {
        return new StoreConfig.DuckDb(file, config.memoryLimit(), config.threads(), config.checkpointThreshold());
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A leftover has a dot name with "restoring" in it, and nothing reads it.
        }
    }
}
