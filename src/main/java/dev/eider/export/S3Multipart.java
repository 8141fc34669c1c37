package dev.eider.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Uploads one file to S3 within S3's limits: a single PUT up to the threshold (at most 5 GiB),
 * above it a multipart upload of parts of at least 5 MiB and at most 10,000 parts, read one part
 * at a time from disk. A multipart upload that fails is aborted, so no parts are left behind.
 */
final class S3Multipart {

    private static final Logger log = LoggerFactory.getLogger(S3Multipart.class);

    static final long MIN_PART = 5L << 20;
    static final long MAX_SINGLE_PUT = 5L << 30;
    static final int MAX_PARTS = 10_000;
    /**
     * How long one try at sending a body may take: this, plus the body at {@link #SLOWEST_BYTES_PER_SECOND}; a body
     * gets {@link #BODY_TRIES} such tries in all. The socket's timeout covers reads only: a store that stopped reading
     * (a new-user trial froze its proxy) held a write, and with it the export thread or a file's request, for good;
     * with the SDK's five tries of the first bound it held them four minutes (a second trial).
     */
    static final Duration ATTEMPT_BASE = Duration.ofSeconds(20);
    /** An upload slower than this is taken for a store that stopped reading (5 MiB parts: 40 s a try). */
    static final long SLOWEST_BYTES_PER_SECOND = 256L << 10;

    static final int BODY_TRIES = 2;
    /**
     * All the time an abort or a listing of unfinished uploads gets: cleanup that the next attempt does again, which
     * must not hold a failing export for the SDK's five tries of the socket's 30 s (a trial waited 2.5 minutes).
     */
    static final Duration CLEANUP_TIME = Duration.ofSeconds(10);

    private final S3Client client;
    private final String bucket;
    private final long threshold;
    private final long partSize;
    private final Duration attemptBase;
    private final long slowestBytesPerSecond;

    S3Multipart(S3Client client, String bucket, long threshold, long partSize) {
        this(client, bucket, threshold, partSize, ATTEMPT_BASE, SLOWEST_BYTES_PER_SECOND);
    }

    /** With other bounds on a try at sending a body than {@link #ATTEMPT_BASE} and the slowest rate (tests). */
    S3Multipart(
            S3Client client,
            String bucket,
            long threshold,
            long partSize,
            Duration attemptBase,
            long slowestBytesPerSecond) {
        if (partSize < MIN_PART) {
            throw new IllegalArgumentException("part size " + partSize + " is below S3's minimum of 5 MiB");
        }
        if (threshold > MAX_SINGLE_PUT) {
            throw new IllegalArgumentException(
                    "multipart threshold " + threshold + " is above S3's 5 GiB single PUT limit");
        }
        this.client = client;
        this.bucket = bucket;
        this.threshold = threshold;
        this.partSize = partSize;
        this.attemptBase = attemptBase;
        this.slowestBytesPerSecond = slowestBytesPerSecond;
    }

    /** How long one try at sending {@code bytes} may take before the SDK gives it up (and tries again). */
    Duration attemptTimeout(long bytes) {
        return attemptBase.plusMillis(bytes * 1000 / slowestBytesPerSecond);
    }

    /** The times of a request sending {@code bytes}: each try's, and all of them together. */
    Consumer<AwsRequestOverrideConfiguration.Builder> bodyTimes(long bytes) {
        Duration attempt = attemptTimeout(bytes);
        return o -> o.apiCallAttemptTimeout(attempt).apiCallTimeout(attempt.multipliedBy(BODY_TRIES));
    }

    /** The time of a cleanup request (see {@link #CLEANUP_TIME}). */
    static void cleanupTime(AwsRequestOverrideConfiguration.Builder o) {
        o.apiCallTimeout(CLEANUP_TIME);
    }

    /** Uploads a small object in one request; with {@code ifNoneMatch} as {@link #upload(String, Path, Map, boolean)}. */
    void upload(String key, byte[] content, Map<String, String> metadata, boolean ifNoneMatch) {
        putOnce(key, S3Target.body(content, content.length), content.length, metadata, ifNoneMatch);
    }

    /**
     * The type an object is stored with, by its key: the same however it went up (a trial found Parquet sent whole as
     * {@code application/octet-stream} and sent in parts as the store's default, {@code binary/octet-stream}).
     */
    static String contentType(String key) {
        if (key.endsWith(".json")) {
            return "application/json";
        }
        return key.endsWith(".parquet") ? "application/vnd.apache.parquet" : "application/octet-stream";
    }

    private void putOnce(String key, RequestBody body, long size, Map<String, String> metadata, boolean ifNoneMatch) {
        client.putObject(
                b -> b.bucket(bucket)
                        .key(key)
                        .contentType(contentType(key))
                        .metadata(metadata)
                        .contentLength(size)
                        .ifNoneMatch(ifNoneMatch ? "*" : null)
                        .overrideConfiguration(bodyTimes(size)),
                body);
    }

    /** Uploads the file; with {@code ifNoneMatch} only when no object is at the key (else S3 answers 412). */
    void upload(String key, Path file, Map<String, String> metadata, boolean ifNoneMatch) {
        long size = size(file);
        if (size <= threshold) {
            putOnce(key, RequestBody.fromFile(file), size, metadata, ifNoneMatch);
            return;
        }
        abortStale(key);
        String uploadId = client.createMultipartUpload(b ->
                        b.bucket(bucket).key(key).contentType(contentType(key)).metadata(metadata))
                .uploadId();
        try {
            List<CompletedPart> parts = uploadParts(key, uploadId, file, partSize(size));
            client.completeMultipartUpload(b -> b.bucket(bucket)
                    .key(key)
                    .uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts))
                    .ifNoneMatch(ifNoneMatch ? "*" : null));
        } catch (RuntimeException e) {
            try {
                abort(key, uploadId);
            } catch (RuntimeException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw e;
        }
    }

    /**
     * Aborts multipart uploads to this key that an attempt killed mid-upload left behind (a kill
     * skips the abort above). Keys belong to one plan and a plan runs in one place at a time, so any
     * upload in progress to this key is such a leftover.
     */
    private void abortStale(String key) {
        abortUnfinished(key, key::equals);
    }

    /** Aborts every unfinished multipart upload to a key that starts with {@code prefix}; see {@link #abortStale}. */
    void abortUnfinished(String prefix) {
        abortUnfinished(prefix, key -> true);
    }

    /** Cleanup only: a store that cannot list uploads must not fail the export. */
    private void abortUnfinished(String prefix, Predicate<String> keys) {
        try {
            client
                    .listMultipartUploadsPaginator(
                            b -> b.bucket(bucket).prefix(prefix).overrideConfiguration(S3Multipart::cleanupTime))
                    .uploads()
                    .stream()
                    .filter(u -> keys.test(u.key()))
                    .forEach(u -> {
                        // One abort of several: one that fails must not keep the others from going.
                        try {
                            abort(u.key(), u.uploadId());
                        } catch (RuntimeException e) {
                            cleanupFailed("key", u.key(), e);
                        }
                    });
        } catch (RuntimeException e) {
            cleanupFailed("prefix", prefix, e);
        }
    }

    private static void cleanupFailed(String what, String subject, RuntimeException e) {
        log.atWarn()
                .addKeyValue("event", "stale_upload_cleanup_failed")
                .addKeyValue(what, subject)
                .addKeyValue("error", e.getMessage())
                .log("cannot abort an unfinished multipart upload");
    }

    /** Gives up an upload in parts, within the time of a cleanup ({@link #CLEANUP_TIME}). */
    void abort(String key, String uploadId) {
        client.abortMultipartUpload(
                b -> b.bucket(bucket).key(key).uploadId(uploadId).overrideConfiguration(S3Multipart::cleanupTime));
    }

    long partSize() {
        return partSize;
    }

    /** The configured part size, raised when the file would otherwise need more than 10,000 parts. */
    long partSize(long size) {
        long needed = (size + MAX_PARTS - 1) / MAX_PARTS;
        return Math.max(partSize, needed);
    }

    private List<CompletedPart> uploadParts(String key, String uploadId, Path file, long part) {
        List<CompletedPart> parts = new ArrayList<>();
        byte[] buffer = new byte[Math.toIntExact(part)];
        try (InputStream in = Files.newInputStream(file)) {
            for (int number = 1; ; number++) {
                int n = in.readNBytes(buffer, 0, buffer.length);
                if (n == 0) {
                    return parts;
                }
                parts.add(part(key, uploadId, number, buffer, n));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Sends one part of an upload: the first {@code length} bytes, which stay unchanged until it returns. */
    CompletedPart part(String key, String uploadId, int number, byte[] bytes, int length) {
        String etag = client.uploadPart(
                        b -> b.bucket(bucket)
                                .key(key)
                                .uploadId(uploadId)
                                .partNumber(number)
                                .contentLength((long) length)
                                .overrideConfiguration(bodyTimes(length)),
                        S3Target.body(bytes, length))
                .eTag();
        return CompletedPart.builder().partNumber(number).eTag(etag).build();
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
