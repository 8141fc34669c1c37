package dev.eider.cli;

import dev.eider.Eider;
import dev.eider.Storage;
import dev.eider.config.EiderConfig;
import dev.eider.export.ExportTarget;
import dev.eider.export.ExportTargets;
import dev.eider.export.Restorer;
import dev.eider.ingest.Writes;
import dev.eider.table.Catalog;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eider restore --from <target>}: rebuilds an empty database from exported snapshots and changes. */
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
    @SuppressWarnings("try") // the write queue is opened for its replay, not used in the body
    public Integer call() {
        EiderConfig config = options.load();
        Catalog catalog = new Catalog(config.tables());
        var out = spec.commandLine().getOut();
        try (Storage storage = Storage.open(config.store(), catalog);
                // Acknowledged writes still in the log count as data: replay them so that a database
                // holding any is refused like any other non-empty one.
                Writes queue = Eider.openQueue(config, storage, catalog);
                ExportTarget source =
                        ExportTargets.open("--from", from, config.export().s3())) {
            Restorer restorer = new Restorer(
                    storage.exports(), catalog, source, config.export().workDir(), out::println);
            Map<String, Long> rows = restorer.restore();
            out.println("restored " + rows.size() + " table(s) into "
                    + config.store().describe() + " from " + source.describe());
            return 0;
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("eider: restore refused: " + e.getMessage());
            return 2;
        }
    }
}
