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

    /**
     * Like {@link #create(String, Path, String)}, for a small object held in memory (a manifest, a head, a
     * claim): no local file is written for it, nor deleted after (both on every change export's path).
     */
    Outcome create(String key, byte[] content, String sha256);

    /** The size of the parts {@link #startParts} sends; 0 when the target only takes whole files. */
    default long partSize() {
        return 0;
    }

    /** The most parts one object sent with {@link #startParts} may have, the last one included. */
    default int maxParts() {
        return Integer.MAX_VALUE;
    }

    /**
     * Gives up every unfinished {@link #startParts} upload to a key that starts with {@code prefix} (left by a
     * process killed mid-upload). Cleanup only: it logs what it cannot do and never throws.
     */
    default void abortUnfinished(String prefix) {}

    /**
     * Starts an object whose file is still being written, sent in parts of {@link #partSize()} bytes as
     * they become available. Nothing is visible at the key before {@link PartUpload#complete}.
     */
    default PartUpload startParts(String key) {
        throw new UnsupportedOperationException(describe() + " takes whole files only");
    }

    /** An object sent in parts while its file grows (an S3 multipart upload). */
    interface PartUpload {

        /** Sends the next part: the target's part size, or fewer bytes for the last one. */
        void send(byte[] bytes, int length);

        /**
         * Makes the parts sent so far the object at the key, with its SHA-256, only if no object is there
         * yet; like {@link #create}, answers what it found. Nothing is left behind when it is not created.
         */
        Outcome complete(String sha256);

        /** Gives the upload up; nothing is left at the target. */
        void abort();
    }

    /** Writes the file at the key whatever is there; readers see the old or the new object, never a mix. */
    void put(String key, Path file, String sha256);

    /** Like {@link #put(String, Path, String)}, for a small object held in memory. */
    void put(String key, byte[] content, String sha256);

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
