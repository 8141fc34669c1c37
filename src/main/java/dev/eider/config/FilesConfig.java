package dev.eider.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where record files go and the limits and delays that keep rows and objects consistent.
 *
 * @param target {@code s3://bucket/prefix} or {@code file:/path}
 * @param s3 how to reach an S3 target (the export's settings)
 * @param maxSize the largest file accepted (413 beyond it, checked while the body streams)
 * @param workDir where uploads are spooled before they go to the target
 * @param multipartThreshold files above this go up to S3 in parts
 * @param partSize the size of each part (one part in memory per upload)
 * @param deleteAfter how long a replaced or deleted file's object stays after the change (and after
 *     the change has been exported): longer than {@code presignFor}
 * @param orphanAfter how old an object no row names must be before the sweeper deletes it
 * @param sweepEvery how often the outbox is drained and orphans are swept
 * @param redirect whether {@code GET} of a file answers 307 to a presigned URL by default (S3 only)
 * @param presignFor how long a presigned URL stays valid
 */
public record FilesConfig(
        String target,
        S3Config s3,
        DataSize maxSize,
        Path workDir,
        DataSize multipartThreshold,
        DataSize partSize,
        Duration deleteAfter,
        Duration orphanAfter,
        Duration sweepEvery,
        boolean redirect,
        Duration presignFor) {

    public FilesConfig {
        Objects.requireNonNull(target, "target");
        if (deleteAfter.compareTo(presignFor) <= 0) {
            throw new ConfigException("files.delete_after (" + deleteAfter + ") must be longer than files.presign_for ("
                    + presignFor + "): a presigned URL must not outlive the object it names");
        }
        if (redirect && !target.startsWith("s3://")) {
            throw new ConfigException("files.redirect: presigned URLs need an s3:// files.target, not '" + target
                    + "'; set files.redirect: false");
        }
        PartSize.check("files.part_size", partSize);
    }

    /** The default target: beside the export target, under its own {@code _files} prefix. */
    public static String besideExports(String exportTarget) {
        return exportTarget.replaceAll("/+$", "") + "/_files";
    }
}
