package dev.eider.export;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where exported objects go: an S3 bucket or a local folder with the same layout. Keys are
 * relative to the target's root. No reader or writer ever lists a target.
 */
public interface ExportTarget extends AutoCloseable {

    /** What a conditional create found. */
    enum Outcome {
        /** The object did not exist and now holds the file. */
        CREATED,
        /** An object with the same SHA-256 was already there (an earlier attempt wrote it). */
        ADOPTED,
        /** A different object is there; nothing was written. */
        CONFLICT
    }

    /**
     * Writes the file at the key only if no object is there yet, so that no half-written or
     * overwritten object is ever visible at a final key.
     */
    Outcome create(String key, Path file, String sha256);

    /** Writes the file at the key whatever is there; readers see the old or the new object, never a mix. */
    void put(String key, Path file, String sha256);

    /** A small object's content, or empty when there is none. */
    Optional<byte[]> read(String key);

    /** Copies an object to a local file (replacing it); fails when there is no such object. */
    void download(String key, Path to);

    void delete(String key);

    /** The target as configured, for logs and messages. */
    String describe();

    @Override
    void close();
}
