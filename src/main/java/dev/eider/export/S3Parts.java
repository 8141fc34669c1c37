package dev.eider.export;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An S3 multipart upload fed part by part while its file is still written. Its SHA-256 is known only at
 * the end, after S3 fixed the object's metadata, so such an object carries none; completion is
 * conditional ({@code If-None-Match: *}) like every create, and an upload that is not completed is aborted.
 */
final class S3Parts implements ExportTarget.PartUpload {

    private static final Logger log = LoggerFactory.getLogger(S3Parts.class);

    private final S3Client client;
    private final String bucket;
    private final String key;
    private final S3Multipart multipart;
    private final String uploadId;
    private final List<CompletedPart> parts = new ArrayList<>();
    private final Calls calls;

    /** How the target runs a request: turning what the SDK throws into plain words. */
    interface Calls {
        <T> T call(Supplier<T> request);
    }

    S3Parts(S3Client client, S3Multipart multipart, String bucket, String key, Calls calls) {
        this.client = client;
        this.multipart = multipart;
        this.calls = calls;
        this.bucket = bucket;
        this.key = key;
        this.uploadId = client.createMultipartUpload(
                        b -> b.bucket(bucket).key(key).contentType(S3Multipart.contentType(key)))
                .uploadId();
    }

    @Override
    public void send(byte[] bytes, int length) {
        if (parts.size() >= S3Multipart.MAX_PARTS) {
            throw new IllegalStateException("an object sent in parts of " + multipart.partSize()
                    + " bytes is over S3's " + S3Multipart.MAX_PARTS + " parts; raise export.s3.part_size");
        }
        int number = parts.size() + 1;
        parts.add(calls.call(() -> multipart.part(key, uploadId, number, bytes, length)));
    }

    @Override
    public ExportTarget.Outcome complete(String sha256) {
        return calls.call(() -> completeIfAbsent(sha256));
    }

    private ExportTarget.Outcome completeIfAbsent(String sha256) {
        try {
            client.completeMultipartUpload(b -> b.bucket(bucket)
                    .key(key)
                    .uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts))
                    .ifNoneMatch("*"));
            return ExportTarget.Outcome.CREATED;
        } catch (S3Exception e) {
            abort();
            if (e.statusCode() != 412 && e.statusCode() != 409) {
                throw e;
            }
            String existing =
                    client.headObject(b -> b.bucket(bucket).key(key)).metadata().get(S3Target.SHA256);
            return sha256.equals(existing) ? ExportTarget.Outcome.ADOPTED : ExportTarget.Outcome.CONFLICT;
        }
    }

    @Override
    public void abort() {
        try {
            calls.call(() -> {
                multipart.abort(key, uploadId);
                return null;
            });
        } catch (TargetException e) {
            // Already completed or aborted, or the store is unreachable: then the plan's next attempt aborts it.
            log.atWarn()
                    .addKeyValue("event", "part_upload_abort_failed")
                    .addKeyValue("key", key)
                    .addKeyValue("error", e.getMessage())
                    .log("cannot abort a multipart upload");
        }
    }
}
