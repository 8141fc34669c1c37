package dev.eider.table;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The value of a {@code file} column: where a record's file lives and what it holds. The key is
 * relative to the files target and names an object no other reference will ever name.
 *
 * @param key the object's key below the files target
 * @param size the object's length in bytes
 * @param sha256 the object's SHA-256, lower-case hex
 * @param contentType the media type the file was uploaded with
 * @param uploadedAt when the upload finished (microseconds, as stored)
 */
public record FileRef(String key, long size, String sha256, String contentType, Instant uploadedAt) {

    public FileRef {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(contentType, "contentType");
        uploadedAt = Objects.requireNonNull(uploadedAt, "uploadedAt").truncatedTo(ChronoUnit.MICROS);
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative, got " + size);
        }
    }
}
