package dev.eider.files;

import dev.eider.export.ExportTarget;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Where record files are kept: an S3 bucket or a local folder. Uploads go through the export
 * target's conditional create ({@link ExportTarget#create}), so an object is never overwritten and
 * never visible half-written; the rest is what serving and sweeping files needs.
 */
public interface FileObjects extends AutoCloseable {

    /** One stored object as a listing or a HEAD sees it. */
    record Stored(String key, long size, Instant lastModified) {}

    /** Writes the file at a fresh key; fails when anything is already there. */
    void create(String key, Path file, String sha256);

    /** The object's size and time, or empty when there is none. */
    Optional<Stored> stat(String key);

    /** Reads bytes {@code first..last} (inclusive) of the object, or empty when there is no object at the key. */
    Optional<InputStream> open(String key, long first, long last);

    /**
     * Every object below the files root, {@code pageSize} at a time, in ascending key order (S3's
     * byte order), each page read when asked for: the sweeper's view, in bounded memory.
     */
    Iterator<List<Stored>> list(int pageSize);

    /** Aborts multipart uploads started before {@code before} that a crash left open; how many. */
    int abortUploadsStartedBefore(Instant before);

    /** Deletes the object; deleting one that is gone is not an error (the outbox worker retries). */
    void delete(String key);

    /** A short-lived URL that reads the object without credentials, or empty for a folder. */
    Optional<URI> presign(String key, String contentType, Duration validFor);

    /** The export-target view of the same place (for {@code eider check} to probe). */
    ExportTarget target();

    default String describe() {
        return target().describe();
    }

    @Override
    void close();
}
