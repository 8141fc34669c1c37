package dev.eider.export;

import java.util.Objects;

/**
 * One Parquet object of an export.
 *
 * @param key the object key, relative to the export target's root
 * @param rows rows in the file
 * @param bytes the file's size
 * @param sha256 the file's SHA-256, lower-case hex
 */
public record ExportFile(String key, long rows, long bytes, String sha256) {

    public ExportFile {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sha256, "sha256");
        if (rows < 0 || bytes < 0) {
            throw new IllegalArgumentException("rows and bytes cannot be negative: " + rows + ", " + bytes);
        }
    }
}
