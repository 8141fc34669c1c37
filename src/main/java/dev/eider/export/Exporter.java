package dev.eider.export;

import dev.eider.config.ExportConfig;
import dev.eider.table.TableDef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one recorded plan, from wherever an earlier attempt stopped: Parquet to local disk,
 * the file list recorded, data objects uploaded, then the manifest, then the head, then the plan
 * marked done. Each step can be repeated: objects go to the same keys, an existing manifest for
 * the same range is adopted, and data objects no manifest references yet may be replaced.
 */
final class Exporter {

    private static final Logger log = LoggerFactory.getLogger(Exporter.class);

    private final ExportStore store;
    private final ExportTarget target;
    private final ExportConfig config;
    private final Clock clock;
    private final PauseHook pause;

    Exporter(ExportStore store, ExportTarget target, ExportConfig config, Clock clock, PauseHook pause) {
        this.store = store;
        this.target = target;
        this.config = config;
        this.clock = clock;
        this.pause = pause;
    }

    /**
     * Runs the plan to success; throws (leaving the plan open) when a step fails. The attempt's number is
     * recorded with its file list (or, when an earlier attempt's manifest is adopted, with the success), so a
     * plan recorded with no attempts has nothing at the target and its manifest is not looked for.
     */
    ExportPlan run(ExportPlan planned, TableDef table, ExportProgress progress) {
        ExportPlan plan =
                planned.asAttempt(planned.attempts() + 1, clock.instant().truncatedTo(ChronoUnit.MICROS));
        Path work = config.workDir().resolve("export-" + plan.id());
        try {
            Optional<Manifest> written = planned.attempts() == 0
                    ? Optional.empty()
                    : target.read(plan.manifestKey())
                            .map(b -> ManifestJson.read(b, Manifest.class))
                            .filter(m -> m.covers(planned));
            if (written.isPresent()) {
                progress.report(plan, "manifest already written by an earlier attempt; adopting it");
                plan = plan.withFiles(written.get().files());
            } else {
                plan = writeData(plan, table, work, progress);
                pause.at("manifest", plan.id());
                writeManifest(plan, table, work);
            }
            pause.at("head", plan.id());
            writeHead(plan, work);
            pause.at("done", plan.id());
            store.succeeded(plan, table, clock.instant());
            progress.report(
                    plan,
                    "done: " + plan.rows() + " rows, " + plan.bytes() + " bytes in "
                            + plan.files().size() + " files");
            return plan;
        } finally {
            deleteRecursively(work);
        }
    }

    private ExportPlan writeData(ExportPlan plan, TableDef table, Path work, ExportProgress progress) {
        progress.report(plan, "writing Parquet for " + describe(plan));
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the work folder " + work, e);
        }
        List<ParquetFile> local = store.writeParquet(plan, table, config.forTable(table.name()), work.resolve("data"));
        List<ExportFile> files = new ArrayList<>();
        for (ParquetFile f : local) {
            files.add(new ExportFile(plan.directory() + "/" + f.relative(), f.rows(), f.bytes(), Sha256.of(f.path())));
        }
        ExportPlan previous = plan;
        plan = store.recordFiles(plan, files);
        removeOrphans(previous, files);
        long total = plan.bytes();
        long sent = 0;
        for (int i = 0; i < files.size(); i++) {
            ExportFile f = files.get(i);
            upload(f.key(), local.get(i).path(), f.sha256(), true);
            sent += f.bytes();
            progress.uploaded(plan, i + 1, files.size(), sent, total);
            if (i == 0) {
                pause.at("uploading", plan.id());
            }
        }
        return plan;
    }

    /** An earlier attempt may have split the rows differently: drop its objects that this attempt does not rewrite. */
    private void removeOrphans(ExportPlan previous, List<ExportFile> files) {
        Set<String> current = files.stream().map(ExportFile::key).collect(Collectors.toSet());
        for (ExportFile old : previous.files()) {
            if (!current.contains(old.key())) {
                target.delete(old.key());
            }
        }
    }

    private void upload(String key, Path file, String sha256, boolean replaceable) {
        ExportTarget.Outcome outcome = target.create(key, file, sha256);
        if (outcome == ExportTarget.Outcome.CONFLICT) {
            if (!replaceable) {
                throw new IllegalStateException("a different object is already at " + key);
            }
            // Left by an earlier attempt of this plan; no manifest references it yet.
            log.info("event=export_object_replaced key={}", key);
            target.put(key, file, sha256);
        }
    }

    private void writeManifest(ExportPlan plan, TableDef table, Path work) {
        byte[] json = ManifestJson.write(Manifest.of(plan, table));
        upload(plan.manifestKey(), write(work.resolve("manifest.json"), json), Sha256.of(json), false);
    }

    private void writeHead(ExportPlan plan, Path work) {
        Head head = Head.of(plan.table(), store.chain(plan.table()), plan, clock.instant());
        byte[] json = ManifestJson.write(head);
        target.put(ObjectKeys.head(plan.table()), write(work.resolve("head.json"), json), Sha256.of(json));
    }

    static String describe(ExportPlan p) {
        return p.table() + " " + p.mode().wireName() + " (" + p.fromSeq() + ", " + p.toSeq() + "]";
    }

    private static Path write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("event=export_cleanup_failed dir={} error={}", dir, e.toString());
        }
    }
}
