package dev.eider.export;

import dev.eider.config.ExportConfig;
import dev.eider.config.ExportSettings.Mode;
import dev.eider.table.TableDef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.LongPredicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one recorded plan, from wherever an earlier attempt stopped: the table's prefix claimed
 * while Parquet is written to local disk (on S3, sent in parts as it is written, nothing visible yet),
 * the file list recorded, data objects made visible, then the manifest, then the head, then the plan
 * marked done. Each step can be repeated: objects go to the same keys (which carry
 * the plan's id), a manifest is adopted only when an earlier attempt of this very plan wrote it, and
 * data objects are replaced only while no manifest references them. A plan with nothing new is skipped.
 */
final class Exporter {

    private static final Logger log = LoggerFactory.getLogger(Exporter.class);

    /**
     * How long a table's claim, once found to be this database's, is taken as still being so without asking the
     * target again. Only a deletion of the claim object can change it (another database cannot create one over
     * it), and asking costs a GET beside every export's {@code COPY}: about a seventh of a 1,000-row change
     * export on two cores (bench/RESULTS.md, round thirteen). Exports further apart than this check every time;
     * a retry always does.
     */
    static final Duration CLAIM_RECHECK = Duration.ofMinutes(1);

    private final ExportStore store;
    private final ExportTarget target;
    private final ExportConfig config;
    private final Clock clock;
    private final PauseHook pause;
    private final Path workDir;
    /** Whether a plan was cancelled through this instance: its parts stop going up at once. */
    private final LongPredicate cancelled;
    /** Whether this instance made the plan (see {@link #run}). */
    private final LongPredicate plannedHere;
    /** The part streamer of each export sending parts now, for {@link #interruptUploads}. */
    private final Map<Long, PartStreamer> streaming = new ConcurrentHashMap<>();
    /** When each table's claim was last found to be this database's. */
    private final Map<String, Instant> claimConfirmed = new ConcurrentHashMap<>();
    /** When each table's head at the target was last seen to link its newest succeeded export. */
    private final Map<String, Instant> chainConfirmed = new ConcurrentHashMap<>();
    /** The tables under which this process has aborted what was left unfinished at the target. */
    private final Set<String> tidied = ConcurrentHashMap.newKeySet();
    /**
     * Deletes an export's local files while its head is written and its end recorded: a thread kept between
     * exports, as starting one (0.2-1.8 ms here) would cost a change export about what the deletion takes off its
     * path (1-2 ms; 8 ms for a 24 MB snapshot file).
     */
    private final ExecutorService tidier = Background.keptThread("export-tidy");

    Exporter(
            ExportStore store,
            ExportTarget target,
            ExportConfig config,
            Clock clock,
            PauseHook pause,
            Path workDir,
            LongPredicate cancelled,
            LongPredicate plannedHere) {
        this.store = store;
        this.target = target;
        this.config = config;
        this.clock = clock;
        this.pause = pause;
        this.workDir = workDir;
        this.cancelled = cancelled;
        this.plannedHere = plannedHere;
    }

    /**
     * Runs the plan to success (or to skipped, when there is nothing new); throws (leaving the plan open)
     * when a step fails. The attempt's number is recorded with its file list (or, when an earlier
     * attempt's manifest is adopted, with the success), so a plan recorded with no attempts has nothing
     * at the target and its manifest is not looked for.
     */
    ExportPlan run(ExportPlan planned, TableDef table, ExportProgress progress) {
        ExportPlan plan =
                planned.asAttempt(planned.attempts() + 1, clock.instant().truncatedTo(ChronoUnit.MICROS));
        progress.attempting(plan);
        store.startAttempt(plan);
        requireBase(plan);
        if (!store.hasNews(plan)
                && (plan.mode() == Mode.CHANGES || holdsChain(plan.table(), store.chain(plan.table())))) {
            // A snapshot of an unchanged table is still written to a target that lacks the table's exports
            // (export.target changed, or its objects deleted): that is what the schedule takes it for.
            store.skipped(plan, table, clock.instant());
            progress.report(plan, "nothing new since the last export; skipped, nothing written");
            return store.find(plan.id()).orElseThrow();
        }
        String databaseId = store.databaseId();
        Path work = workDir.resolve("export-" + plan.id());
        String name = plan.table();
        CompletableFuture<Void> claimed = CompletableFuture.completedFuture(null);
        CompletableFuture<Void> workDeleted = CompletableFuture.completedFuture(null);
        try {
            // The claim is checked while the Parquet is written; nothing goes to the target before it is done.
            claimed = planned.attempts() == 0 && confirmedRecently(name)
                    ? claimed
                    : Background.start("export-" + plan.id() + "-claim", () -> claim(name, databaseId));
            Optional<Manifest> written = Optional.empty();
            if (planned.attempts() > 0 || !tidied.contains(name)) {
                // A retry looks at the target first: the prefix must be known to be ours before that.
                Background.join(claimed);
                // What a killed attempt left half written under the table (an upload in parts, a folder's
                // temporary file) goes first: a table's exports run one at a time, so none of it is another's.
                // So does, once a process, what a stop cut short: a cancelled plan's discard, whose range no later
                // plan may reach.
                target.abortUnfinished(name + "/");
                tidied.add(name);
            }
            if (planned.attempts() > 0) {
                written = adoptableManifest(plan, databaseId);
            }
            if (written.isPresent()) {
                plan = adopt(plan, written.get(), progress);
            } else {
                try {
                    plan = writeData(plan, table, work, databaseId, claimed, progress);
                    pause.at("manifest", plan.id());
                    writeManifest(plan, table, databaseId);
                    // Once the manifest is up, a retry adopts it and needs no local file.
                    workDeleted = Background.run(tidier, () -> WorkFolder.deleteRecursively(work));
                } catch (CancelledPlansManifest found) {
                    plan = adopt(found.attempt, found.manifest, progress);
                }
            }
            pause.at("head", plan.id());
            // The chain (the succeeded exports before this one) cannot change while this plan is open: a table
            // has one open plan at a time. DuckDB keeps it in memory; PostgreSQL reads it in one query.
            writeHead(plan, databaseId, store.chain(name));
            pause.at("done", plan.id());
            Instant finished = clock.instant();
            store.succeeded(plan, table, finished);
            plan = plan.succeeded(finished);
            progress.report(
                    plan,
                    "done: " + plan.rows() + " rows, " + plan.bytes() + " bytes in "
                            + plan.files().size() + " files");
            return plan;
        } finally {
            // Nothing of the attempt runs on once it ends.
            claimed.handle((ok, failed) -> null).join();
            workDeleted.handle((ok, failed) -> null).join();
            WorkFolder.deleteRecursively(work);
        }
    }

    /**
     * A change export planned elsewhere (by an earlier process, perhaps for the target of its day, or by another
     * instance) extends the exports at the target it was planned for: where this target does not hold them, its head
     * would link a snapshot that is not there (a new-user trial). Checked once the attempt runs alone (under the
     * lease on PostgreSQL), so a target that cannot be read fails the attempt, which is retried. This instance's own
     * plans were checked when made (see {@code ExportService.mode}): nothing is asked on their path.
     *
     * @throws ExportBaseMissingException when the target does not hold the exports the plan extends
     */
    private void requireBase(ExportPlan plan) {
        if (plan.mode() != Mode.CHANGES || plannedHere.test(plan.id())) {
            return;
        }
        List<ExportPlan> chain = store.chain(plan.table());
        if (!holdsChain(plan.table(), chain)) {
            throw new ExportBaseMissingException(plan.table(), chain.get(chain.size() - 1));
        }
    }

    private boolean confirmedRecently(String table) {
        return recent(claimConfirmed.get(table));
    }

    private boolean recent(Instant at) {
        return at != null && clock.instant().isBefore(at.plus(CLAIM_RECHECK));
    }

    /**
     * Whether the target holds the exports a change export of the table would extend: its head links the
     * newest of {@code chain} (the table's succeeded exports, oldest first). Not so when {@code export.target}
     * was changed since they were written, or their objects were deleted: a change export there would make
     * a head whose earlier manifests do not exist, which no reader or restore can follow. Asked at most once
     * per {@link #CLAIM_RECHECK} per table, as the claim is (two small reads a minute while a table exports). A
     * snapshot's own head confirms it; a change export's does not: the snapshot it links can be deleted while
     * exports go on (a new-user trial deleted it, and exports half a minute apart extended a head nothing could
     * restore).
     */
    boolean holdsChain(String table, List<ExportPlan> chain) {
        if (chain.isEmpty() || recent(chainConfirmed.get(table))) {
            return true;
        }
        Instant asked = clock.instant();
        String newest = chain.get(chain.size() - 1).manifestKey();
        // The snapshot's manifest too: a head outlives the deletion of the snapshot it links (a new-user trial
        // deleted a snapshot's folder; change exports went on extending a head nothing could restore).
        boolean holds = readForCheck(table, ObjectKeys.head(table))
                .flatMap(Exporter::head)
                .filter(head -> links(head).stream().anyMatch(l -> l.manifest().equals(newest)))
                .filter(head -> head.snapshot() == null
                        || readForCheck(table, head.snapshot().manifest()).isPresent())
                .isPresent();
        if (holds) {
            chainConfirmed.put(table, asked);
        }
        return holds;
    }

    private Optional<byte[]> readForCheck(String table, String key) {
        try {
            return target.read(key);
        } catch (UncheckedIOException e) {
            throw new ExportTargetUnreadableException(
                    table,
                    new TargetException(
                            target.describe() + ": cannot read " + key + ": "
                                    + e.getCause().getMessage(),
                            e));
        } catch (TargetException e) {
            throw new ExportTargetUnreadableException(table, e);
        }
    }

    /** The head in {@code json}; none when it is not one (a snapshot writes a good one over it). */
    private static Optional<Head> head(byte[] json) {
        try {
            return Optional.of(ManifestJson.read(json, Head.class));
        } catch (UncheckedIOException notAHead) {
            return Optional.empty();
        }
    }

    private static List<Head.Link> links(Head head) {
        List<Head.Link> links = new ArrayList<>(head.changes());
        if (head.snapshot() != null) {
            links.add(head.snapshot());
        }
        return links;
    }

    private void claim(String table, String databaseId) {
        Instant asked = clock.instant();
        claimConfirmed.remove(table);
        TargetClaim.claim(target, table, databaseId, this::ownsUnclaimedHead);
        claimConfirmed.put(table, asked);
    }

    /** A prefix exported to before identities existed is ours when its head points at one of our exports. */
    private boolean ownsUnclaimedHead(Head head) {
        Set<String> ours = store.chain(head.table()).stream()
                .map(p -> p.id() + " " + p.manifestKey())
                .collect(Collectors.toSet());
        List<Head.Link> links = links(head);
        return !links.isEmpty() && links.stream().allMatch(l -> ours.contains(l.exportId() + " " + l.manifest()));
    }

    /**
     * The manifest at the plan's key, if any, when the plan may take it for its own: one an earlier attempt of
     * this plan wrote, or one of a plan of this database over the same rows that was cancelled after its
     * manifest went up (the cancel came too late to stop it; the head may list it). Such a plan's objects
     * stay complete: a cancel deletes nothing once the manifest is there.
     *
     * @throws IllegalStateException when any other manifest is at the plan's key (never adopted)
     */
    private Optional<Manifest> adoptableManifest(ExportPlan plan, String databaseId) {
        Optional<Manifest> found = target.read(plan.manifestKey()).map(b -> ManifestJson.read(b, Manifest.class));
        if (found.isEmpty() || found.get().isOf(plan, databaseId) || isCancelledOverSameRows(found.get(), plan)) {
            return found;
        }
        Manifest m = found.get();
        throw new IllegalStateException("the manifest at " + plan.manifestKey() + " belongs to export "
                + m.exportId() + " of database " + m.databaseId() + ", not to export " + plan.id()
                + " of this database " + databaseId + "; it is left as it is");
    }

    private boolean isCancelledOverSameRows(Manifest m, ExportPlan plan) {
        return m.coversSameRows(plan, store.databaseId())
                && store.find(m.exportId())
                        .map(p -> p.state() == ExportState.CANCELLED)
                        .orElse(false);
    }

    /**
     * Takes a manifest found at the plan's key as this attempt's. When another plan wrote it, its files are
     * recorded as this plan's, and objects this plan's attempts put in the directory that it does not list go.
     */
    private ExportPlan adopt(ExportPlan plan, Manifest manifest, ExportProgress progress) {
        if (manifest.exportId() == plan.id()) {
            progress.report(plan, "manifest already written by an earlier attempt; adopting it");
            return plan.withFiles(manifest.files());
        }
        removeOrphans(plan, manifest.files());
        log.atInfo()
                .addKeyValue("event", "export_manifest_adopted")
                .addKeyValue("export", plan.id())
                .addKeyValue("cancelled_export", manifest.exportId())
                .addKeyValue("key", plan.manifestKey())
                .log("the manifest of cancelled export {} lists the same rows; adopting it", manifest.exportId());
        progress.report(
                plan,
                "cancelled export " + manifest.exportId() + " wrote the same rows before its cancel; adopting its"
                        + " manifest");
        return store.recordFiles(plan, manifest.files());
    }

    /** Thrown from an upload that met the manifest of a cancelled plan over the same rows: adopted instead. */
    private static final class CancelledPlansManifest extends RuntimeException {

        private final transient ExportPlan attempt;
        private final transient Manifest manifest;

        CancelledPlansManifest(ExportPlan attempt, Manifest manifest) {
            super(
                    "the manifest of cancelled export " + manifest.exportId() + " lists the same rows",
                    null,
                    false,
                    false);
            this.attempt = attempt;
            this.manifest = manifest;
        }
    }

    @SuppressWarnings("try") // the registration of the streamer only ends with the block
    private ExportPlan writeData(
            ExportPlan plan,
            TableDef table,
            Path work,
            String databaseId,
            CompletableFuture<Void> claimed,
            ExportProgress progress) {
        progress.report(plan, "writing Parquet for " + describe(plan));
        Path dir = work.resolve("data");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the work folder " + work, e);
        }
        String directory = plan.directory();
        ExportPlan attempt = plan;
        try (PartStreamer streamer = target.partSize() > 0
                        ? new PartStreamer(
                                target,
                                dir,
                                directory,
                                claimed,
                                pause,
                                plan.id(),
                                sent -> progress.sent(attempt, sent),
                                () -> cancelled.test(attempt.id()))
                        : null;
                Registered cancellable = register(plan.id(), streamer)) {
            List<ParquetFile> local = store.writeParquet(plan, table, config.forTable(table.name()), dir);
            progress.written(
                    plan,
                    local.size(),
                    local.stream().mapToLong(ParquetFile::bytes).sum());
            Map<Path, PartStreamer.Streamed> streamed = streamer == null ? Map.of() : streamer.finish(local);
            Background.join(claimed);
            List<ExportFile> files = new ArrayList<>();
            for (ParquetFile f : local) {
                PartStreamer.Streamed s = streamed.get(f.path());
                String sha256 = s != null ? s.sha256() : Sha256.of(f.path());
                files.add(new ExportFile(directory + "/" + f.relative(), f.rows(), f.bytes(), sha256));
            }
            ExportPlan previous = plan;
            plan = store.recordFiles(plan, files);
            if (streamer != null) {
                // The last part went on while the file list was recorded; a failed one fails the attempt here.
                streamer.awaitSent();
            }
            removeOrphans(previous, files);
            long total = plan.bytes();
            // Files sent in parts are up but for their completion; the others go now.
            long sent = local.stream()
                    .filter(f -> streamed.containsKey(f.path()))
                    .mapToLong(ParquetFile::bytes)
                    .sum();
            for (int i = 0; i < files.size(); i++) {
                ExportFile f = files.get(i);
                PartStreamer.Streamed s = streamed.get(local.get(i).path());
                Path file = local.get(i).path();
                ExportTarget.Outcome outcome =
                        s == null ? target.create(f.key(), file, f.sha256()) : streamer.complete(s);
                if (outcome == ExportTarget.Outcome.CONFLICT) {
                    replaceLeftover(plan, f.key(), file, f.sha256(), databaseId);
                }
                sent += s == null ? f.bytes() : 0;
                progress.uploaded(plan, i + 1, files.size(), sent, total);
                if (i == 0) {
                    pause.at("uploading", plan.id());
                }
            }
            return plan;
        }
    }

    /**
     * The export was cancelled: the threads sending its parts are interrupted (a trial's store stopped reading, and a
     * cancelled export held the export thread for six minutes); see {@link PartStreamer#interruptSending}.
     */
    void interruptUploads(long exportId) {
        PartStreamer s = streaming.get(exportId);
        if (s != null) {
            s.interruptSending();
        }
    }

    /** Registration that ends with the block it opens. */
    private interface Registered extends AutoCloseable {
        @Override
        void close();
    }

    private Registered register(long exportId, PartStreamer streamer) {
        if (streamer == null) {
            return () -> {};
        }
        streaming.put(exportId, streamer);
        return () -> streaming.remove(exportId);
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

    private void replaceLeftover(ExportPlan plan, String key, Path file, String sha256, String databaseId) {
        // Left by an earlier attempt of this plan, or by a cancelled plan over the same range (keys carry the
        // range). Replaced only while no manifest references it: an object a manifest lists is never overwritten.
        Optional<Manifest> manifest = adoptableManifest(plan, databaseId);
        if (manifest.isPresent()) {
            if (manifest.get().exportId() != plan.id()) {
                throw new CancelledPlansManifest(plan, manifest.get());
            }
            throw new IllegalStateException("a different object is already at " + key + " and the manifest "
                    + plan.manifestKey() + " references it; it is left as it is");
        }
        log.atInfo()
                .addKeyValue("event", "export_object_replaced")
                .addKeyValue("key", key)
                .log("replaced an object left by an earlier attempt");
        target.put(key, file, sha256);
    }

    private void writeManifest(ExportPlan plan, TableDef table, String databaseId) {
        byte[] json = ManifestJson.write(Manifest.of(plan, table, databaseId));
        if (target.create(plan.manifestKey(), json, Sha256.of(json)) == ExportTarget.Outcome.CONFLICT) {
            throw new IllegalStateException("a different object is already at " + plan.manifestKey());
        }
    }

    private void writeHead(ExportPlan plan, String databaseId, List<ExportPlan> chain) {
        Head head = Head.of(databaseId, plan.table(), chain, plan, clock.instant());
        byte[] json = ManifestJson.write(head);
        Instant written = clock.instant();
        target.put(ObjectKeys.head(plan.table()), json, Sha256.of(json));
        if (plan.mode() == Mode.SNAPSHOT) {
            // Its manifest, which the head links, was just written: the chain is as it must be. A change export's
            // head says nothing of the snapshot it links (see holdsChain).
            chainConfirmed.put(plan.table(), written);
        }
    }

    /**
     * Deletes what a cancelled plan uploaded, unless its manifest was written: then its objects are complete
     * and the head may already point at them.
     */
    void discard(ExportPlan plan) {
        // A process killed while it sent the files in parts left them unfinished (no file list names them yet).
        // Parts go only to a prefix this database claimed: another's uploads there are not ours to abort.
        if (TargetClaim.isClaimedBy(target, plan.table(), store.databaseId())) {
            target.abortUnfinished(plan.directory() + "/");
        }
        if (target.read(plan.manifestKey()).isPresent()) {
            return;
        }
        for (ExportFile f : plan.files()) {
            target.delete(f.key());
        }
    }

    /** Ends the thread that deletes local files (it has nothing to do once no export runs). */
    void close() {
        tidier.shutdown();
    }

    static String describe(ExportPlan p) {
        return p.table() + " " + p.mode().wireName() + " (" + p.fromSeq() + ", " + p.toSeq() + "]";
    }
}
