package dev.eider.files;

import dev.eider.config.FilesConfig;
import dev.eider.export.PauseHook;
import dev.eider.ingest.Commit;
import dev.eider.ingest.Writes;
import dev.eider.store.Mutation;
import dev.eider.store.RecordStore;
import dev.eider.store.StoredRow;
import dev.eider.store.WriteBatch;
import dev.eider.table.Column;
import dev.eider.table.ColumnType;
import dev.eider.table.Excerpt;
import dev.eider.table.FileRef;
import dev.eider.table.TableDef;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record's files: bytes first, to a fresh key, verified; then the reference, committed through
 * the write queue like any write (the store records the object it replaces as a pending deletion
 * in the same transaction); then the answer. A crash before the commit leaves an object no row
 * names, which the {@link FileJanitor} sweeps; never a row naming a missing or partial object.
 */
public final class FileService {

    private static final Logger log = LoggerFactory.getLogger(FileService.class);
    static final String DEFAULT_TYPE = "application/octet-stream";

    private final RecordStore store;
    private final Writes queue;
    private final FileObjects objects;
    private final FilesConfig config;
    /** This process's own folder under {@code files.work_dir} ({@link SpoolFolder}). */
    private final Path spool;

    private final Clock clock;
    private final PauseHook hook;
    private final FileCounters counters;

    public FileService(
            RecordStore store,
            Writes queue,
            FileObjects objects,
            FilesConfig config,
            Path spool,
            Clock clock,
            PauseHook hook,
            FileCounters counters) {
        this.store = store;
        this.queue = queue;
        this.objects = objects;
        this.config = config;
        this.spool = spool;
        this.clock = clock;
        this.hook = hook;
        this.counters = counters;
    }

    /** A committed reference and the sequence of the commit that made it durable. */
    public record Committed(Map<String, FileRef> files, Commit commit) {}

    /** An uploaded body waiting to be stored: where it is spooled and what it declares. */
    public record Upload(String column, Spooled spooled, String contentType) implements AutoCloseable {
        @Override
        public void close() {
            spooled.close();
        }
    }

    /** Copies a file body to a local spool file, enforcing {@code files.max_size} while it streams. */
    public Upload spool(TableDef table, String column, InputStream body, long declaredLength, String contentType) {
        requireFileColumn(table, column);
        if (declaredLength > config.maxSize().bytes()) {
            throw Spooled.tooLarge(config.maxSize().bytes());
        }
        String type = contentType == null || contentType.isBlank() ? DEFAULT_TYPE : contentType;
        return new Upload(column, Spooled.copy(body, spool, config.maxSize().bytes()), type);
    }

    /** Checks a {@code Content-Digest} header against what arrived; a mismatch stores nothing. */
    public void verifyDigest(Upload upload, String contentDigest) {
        ContentDigest.verify(contentDigest, upload.spooled().digest());
    }

    /**
     * Sets one file of an existing record: 404 when the record is absent. The future completes once
     * the reference is durable.
     */
    public CompletableFuture<Committed> put(TableDef table, Object key, Upload upload) {
        requireRecord(table, key);
        return commit(table, key, null, List.of(upload));
    }

    /**
     * Upserts a record and sets its files, all or nothing: every object is stored first, then the
     * row and the references commit in one write.
     */
    public CompletableFuture<Committed> create(TableDef table, Object[] values, List<Upload> uploads) {
        Mutation upsert = Mutation.upsert(table, values);
        return commit(table, upsert.key(), upsert, uploads);
    }

    /** Clears one file of a record; 404 when the record or the file is absent. */
    public CompletableFuture<Commit> clear(TableDef table, Object key, String column) {
        requireFileColumn(table, column);
        if (find(table, key, column).isEmpty()) {
            throw notFound(
                    "record " + key + " of " + table.name() + " has no file in column " + Excerpt.quoted(column));
        }
        return queue.submit(new WriteBatch.Files(table, key, null, List.of(new WriteBatch.FileChange(column, null))));
    }

    /** The reference in a record's file column, or empty when the record or the file is absent. */
    public Optional<FileRef> find(TableDef table, Object key, String column) {
        int index = requireFileColumn(table, column);
        queue.awaitVisible();
        return store.get(table, key).map(StoredRow::values).map(v -> (FileRef) v[index]);
    }

    /**
     * Reads bytes {@code first..last} of the file in a record's column; 404 in plain words when its
     * object has gone from the files target (removed behind Eider's back: Eider never deletes a
     * named object).
     */
    public InputStream open(TableDef table, Object key, String column, FileRef ref, long first, long last) {
        Optional<InputStream> in = ref.size() == 0
                ? objects.stat(ref.key()).map(s -> InputStream.nullInputStream())
                : objects.open(ref.key(), first, last);
        return in.orElseThrow(() -> {
            log.atError()
                    .addKeyValue("event", "file_missing")
                    .addKeyValue("table", table.name())
                    .addKeyValue("column", column)
                    .addKeyValue("record", key)
                    .addKeyValue("key", ref.key())
                    .log("a record names a file whose object is missing");
            return new FileProblem(
                    FileProblem.Reason.MISSING,
                    "record " + key + " of " + table.name() + " names a file in column '" + column + "' ("
                            + ref.key() + ") whose object is missing from the files target: it was removed"
                            + " outside Eider; PUT the file again, or DELETE it to clear the column");
        });
    }

    /** A presigned GET URL for the file, or empty when the target cannot presign (a folder). */
    public Optional<URI> presign(FileRef ref) {
        return objects.presign(ref.key(), ref.contentType(), config.presignFor());
    }

    /** Where uploads are spooled, multipart parts included. */
    public Path spoolDir() {
        return spool;
    }

    public boolean redirectByDefault() {
        return config.redirect();
    }

    private CompletableFuture<Committed> commit(TableDef table, Object key, Mutation upsert, List<Upload> uploads) {
        Map<String, FileRef> refs = new LinkedHashMap<>();
        List<WriteBatch.FileChange> changes = new ArrayList<>();
        try {
            for (Upload u : uploads) {
                FileRef ref = store(table, u);
                refs.put(u.column(), ref);
                changes.add(new WriteBatch.FileChange(u.column(), ref));
            }
            refs.values().forEach(r -> hook.at("uploaded", r.key()));
            return queue.submit(new WriteBatch.Files(table, key, upsert, changes))
                    .thenApply(commit -> {
                        refs.values().forEach(r -> hook.at("committed", r.key()));
                        return new Committed(refs, commit);
                    });
        } catch (RuntimeException e) {
            // Nothing names these objects: remove them now rather than wait for the sweeper.
            refs.values().forEach(r -> deleteQuietly(r.key()));
            throw e;
        }
    }

    /** Uploads a spooled file to a fresh key and checks what the target holds before anything names it. */
    private FileRef store(TableDef table, Upload upload) {
        Spooled s = upload.spooled();
        String key = table.name() + "/" + upload.column() + "/" + UUID.randomUUID();
        objects.create(key, s.file(), s.sha256Hex());
        long stored = objects.stat(key).map(FileObjects.Stored::size).orElse(-1L);
        if (stored != s.size()) {
            deleteQuietly(key);
            throw new IllegalStateException(
                    "the files target holds " + stored + " bytes at " + key + " after an upload of " + s.size());
        }
        counters.uploaded(s.size());
        log.atInfo()
                .addKeyValue("event", "file_stored")
                .addKeyValue("key", key)
                .addKeyValue("bytes", s.size())
                .log("file stored");
        return new FileRef(key, s.size(), s.sha256Hex(), upload.contentType(), clock.instant());
    }

    private void deleteQuietly(String key) {
        try {
            objects.delete(key);
        } catch (RuntimeException e) {
            log.atWarn()
                    .addKeyValue("event", "file_cleanup_failed")
                    .addKeyValue("key", key)
                    .addKeyValue("error", e.getMessage())
                    .log("cannot delete an unreferenced file; the sweeper removes it");
        }
    }

    /**
     * 404 unless the record exists, checked before a body is read. A record the store already holds
     * needs no wait for the writes in flight (a delete among them is caught by {@link #put}'s own
     * check before the commit); only an absent one waits until every acknowledged write is applied,
     * as a record created just before must be found.
     */
    public void requireRecordBeforeBody(TableDef table, Object key) {
        if (store.get(table, key).isEmpty()) {
            requireRecord(table, key);
        }
    }

    /** 404 unless the record exists once every acknowledged write is applied (read your writes). */
    private void requireRecord(TableDef table, Object key) {
        queue.awaitVisible();
        if (store.get(table, key).isEmpty()) {
            throw notFound("no record with " + table.primaryKey() + " " + key + " in " + table.name()
                    + "; create the record first, or send it with its files as multipart/form-data");
        }
    }

    /** The column's index; 404 when the table has no such file column. */
    static int requireFileColumn(TableDef table, String column) {
        int i = table.indexOf(column);
        if (i < 0 || table.columns().get(i).type().kind() != ColumnType.Kind.FILE) {
            List<String> files = table.columns().stream()
                    .filter(c -> c.type().kind() == ColumnType.Kind.FILE)
                    .map(Column::name)
                    .toList();
            throw notFound("table " + table.name() + " has no file column " + Excerpt.quoted(column)
                    + (files.isEmpty() ? "; declare one with type: file" : "; its file columns: " + files));
        }
        return i;
    }

    private static FileProblem notFound(String detail) {
        return new FileProblem(FileProblem.Reason.NOT_FOUND, detail);
    }
}
