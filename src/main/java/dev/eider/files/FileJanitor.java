package dev.eider.files;

import dev.eider.concurrent.Shutdown;
import dev.eider.config.FilesConfig;
import dev.eider.export.TargetClaim;
import dev.eider.export.TargetClaimedException;
import dev.eider.store.FileReferences;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes objects no row needs, in the background. The outbox worker deletes the objects that
 * committed changes replaced, once {@code files.delete_after} has passed and the change has been
 * exported (so exported Parquet references stay readable that long); it is idempotent, since
 * deleting a gone object succeeds. The sweeper deletes objects that no row and no pending deletion
 * names and that are older than {@code files.orphan_after} (what a crash between upload and commit
 * leaves), and reports, never deletes, references whose object is missing.
 */
public final class FileJanitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FileJanitor.class);
    private static final int BATCH = 1000;
    /** Objects per listing page: S3's own maximum. */
    public static final int LIST_PAGE = 1000;

    private static final int MISSING_EXAMPLES = 100;

    private final FileReferences references;
    private final FileObjects objects;
    private final FilesConfig config;
    private final Clock clock;
    private final FileCounters counters;
    private final Runnable awaitVisible;
    private final ScheduledExecutorService timer;
    private final int listPage;

    /**
     * What one sweep found: {@code missing} holds the first {@value #MISSING_EXAMPLES} keys of the
     * {@code missingCount} references whose object is missing; {@code pages} counts listing pages.
     */
    public record Sweep(int orphansDeleted, int uploadsAborted, List<String> missing, long missingCount, int pages) {}

    /**
     * @param awaitVisible waits until every acknowledged write is applied, so that a reference that
     *     is durable in the log but not yet in the store is seen (the write queue's read barrier)
     */
    private final Supplier<String> databaseId;
    /**
     * Whether any table declares a file column. Without one no row can name an object, so a sweep
     * would take every object for an orphan: the janitor then neither claims the folder nor touches it.
     */
    private final boolean fileColumns;

    public FileJanitor(
            FileReferences references,
            FileObjects objects,
            FilesConfig config,
            Clock clock,
            FileCounters counters,
            Runnable awaitVisible,
            Supplier<String> databaseId,
            int listPage,
            boolean fileColumns) {
        this.listPage = listPage;
        this.fileColumns = fileColumns;
        this.awaitVisible = awaitVisible;
        this.databaseId = databaseId;
        this.references = references;
        this.objects = objects;
        this.config = config;
        this.clock = clock;
        this.counters = counters;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "eider-files-janitor");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs the outbox worker and the sweeper every {@code files.sweep_every}. */
    public void start() {
        if (!fileColumns) {
            return;
        }
        long every = config.sweepEvery().toMillis();
        timer.scheduleWithFixedDelay(this::runOnce, every, every, TimeUnit.MILLISECONDS);
    }

    private void runOnce() {
        try {
            drainOutbox();
            sweep();
        } catch (RuntimeException | Error e) {
            // Both steps are idempotent: the next run picks up where this one failed.
            log.atError()
                    .addKeyValue("event", "files_janitor_failed")
                    .setCause(e)
                    .log("files janitor run failed");
        }
    }

    /** Deletes the objects whose deletion is due; returns how many were carried out. */
    public int drainOutbox() {
        if (!fileColumns || !ownsFolder()) {
            return 0;
        }
        int total = 0;
        while (true) {
            Instant releasedBefore = clock.instant().minus(config.deleteAfter());
            awaitVisible.run();
            List<FileReferences.PendingDeletion> due = references.due(releasedBefore, BATCH);
            if (due.isEmpty()) {
                return total;
            }
            Set<String> live = references.liveAmong(
                    due.stream().map(FileReferences.PendingDeletion::objectKey).toList());
            for (FileReferences.PendingDeletion d : due) {
                if (live.contains(d.objectKey())) {
                    // Cannot happen with fresh keys; keeping the object is the safe side.
                    log.atWarn()
                            .addKeyValue("event", "file_deletion_skipped")
                            .addKeyValue("key", d.objectKey())
                            .addKeyValue("reason", "referenced")
                            .log("file still referenced; kept");
                } else {
                    objects.delete(d.objectKey());
                    log.atInfo()
                            .addKeyValue("event", "file_deleted")
                            .addKeyValue("key", d.objectKey())
                            .addKeyValue("table", d.table())
                            .addKeyValue("sequence", d.sequence())
                            .log("file deleted");
                }
            }
            references.forget(due);
            counters.deleted(due.size());
            total += due.size();
            if (due.size() < BATCH) {
                return total;
            }
        }
    }

    /**
     * Sweeps orphans and stale multipart uploads, and reports references whose object is missing.
     * It walks the listing a page at a time beside the references in the same key order, so its
     * memory is a page, however many objects there are.
     */
    public Sweep sweep() {
        if (!fileColumns || !ownsFolder()) {
            return new Sweep(0, 0, List.of(), 0, 0);
        }
        Instant cutoff = clock.instant().minus(config.orphanAfter());
        Tally tally = new Tally();
        Iterator<List<FileObjects.Stored>> pages = objects.list(listPage);
        String after = "";
        while (true) {
            // Only references uploaded before a page was asked for must have their object in it.
            Instant listedAt = clock.instant();
            if (!pages.hasNext()) {
                reportMissing(after, null, listedAt, Set.of(), tally); // named past the last object
                break;
            }
            List<FileObjects.Stored> page = pages.next();
            if (page.isEmpty()) {
                continue;
            }
            tally.pages++;
            tally.listed += page.size();
            // After the listing: a reference committed before this read protects its object.
            awaitVisible.run();
            sweepOrphans(page, cutoff, tally);
            String upTo = page.get(page.size() - 1).key();
            Set<String> present = new HashSet<>(page.size() * 2);
            page.forEach(o -> present.add(o.key()));
            reportMissing(after, upTo, listedAt, present, tally);
            after = upTo;
        }
        int aborted = objects.abortUploadsStartedBefore(cutoff);
        counters.swept(tally.deleted);
        counters.missing((int) tally.missingCount);
        log.atInfo()
                .addKeyValue("event", "files_swept")
                .addKeyValue("objects", tally.listed)
                .addKeyValue("pages", tally.pages)
                .addKeyValue("orphans_deleted", tally.deleted)
                .addKeyValue("uploads_aborted", aborted)
                .addKeyValue("missing", tally.missingCount)
                .log("files swept");
        return new Sweep(tally.deleted, aborted, List.copyOf(tally.missing), tally.missingCount, tally.pages);
    }

    /** Deletes the page's objects that nothing names and that are older than the cutoff. */
    private void sweepOrphans(List<FileObjects.Stored> page, Instant cutoff, Tally tally) {
        Set<String> named =
                references.namedAmong(page.stream().map(FileObjects.Stored::key).toList());
        for (FileObjects.Stored o : page) {
            // Keys starting with _ are Eider's own (the folder's claim, check probes), never a file's.
            if (!o.key().startsWith("_")
                    && !named.contains(o.key())
                    && o.lastModified().isBefore(cutoff)) {
                objects.delete(o.key());
                tally.deleted++;
                log.atInfo()
                        .addKeyValue("event", "orphan_deleted")
                        .addKeyValue("key", o.key())
                        .addKeyValue("bytes", o.size())
                        .addKeyValue("modified", o.lastModified())
                        .log("orphan file deleted");
            }
        }
    }

    /** Reports live references with keys in (after, upTo] whose object the listing did not show. */
    private void reportMissing(String after, String upTo, Instant listedAt, Set<String> present, Tally tally) {
        String from = after;
        while (true) {
            List<FileReferences.Reference> refs = references.liveBetween(from, upTo, listedAt, listPage);
            for (FileReferences.Reference r : refs) {
                if (!present.contains(r.objectKey())) {
                    tally.missing(r.objectKey());
                    log.atError()
                            .addKeyValue("event", "file_missing")
                            .addKeyValue("table", r.table())
                            .addKeyValue("column", r.column())
                            .addKeyValue("record", r.recordKey())
                            .addKeyValue("key", r.objectKey())
                            .addKeyValue("action", "reported_only")
                            .log("a record names a file that is missing");
                }
            }
            if (refs.size() < listPage) {
                return;
            }
            from = refs.get(refs.size() - 1).objectKey();
        }
    }

    /** What a sweep has counted so far; it keeps only the first missing keys as examples. */
    private static final class Tally {
        int pages;
        long listed;
        int deleted;
        long missingCount;
        final List<String> missing = new ArrayList<>();

        void missing(String key) {
            missingCount++;
            if (missing.size() < MISSING_EXAMPLES) {
                missing.add(key);
            }
        }
    }

    /**
     * Whether the files folder belongs to this database, claiming it when nobody has: deleting is only
     * safe where every object that a row may name is this database's (a restored copy pointed at the
     * original's folder would otherwise sweep the original's live files). Uploads need no claim: their
     * keys are fresh.
     */
    private boolean ownsFolder() {
        try {
            TargetClaim.claimFiles(objects.target(), databaseId.get());
            return true;
        } catch (TargetClaimedException e) {
            log.atError()
                    .addKeyValue("event", "files_folder_claimed")
                    .addKeyValue("action", "nothing_deleted")
                    .log(e.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        Shutdown.now(timer, "the files janitor");
    }
}
