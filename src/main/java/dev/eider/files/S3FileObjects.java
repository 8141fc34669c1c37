package dev.eider.files;

import dev.eider.export.ExportTarget;
import dev.eider.export.S3Target;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Record files in an S3 bucket below a prefix. Uploads go through {@link S3Target} (a single
 * conditional PUT, or above the threshold a multipart upload, one part in memory, aborted on
 * failure); reads, listings and presigned URLs use the same client.
 */
final class S3FileObjects implements FileObjects {

    private final S3Client client;
    private final S3Presigner presigner;
    private final String bucket;
    private final String prefix;
    private final S3Target target;

    S3FileObjects(S3Client client, S3Presigner presigner, String bucket, String prefix, S3Target target) {
        this.client = client;
        this.presigner = presigner;
        this.bucket = bucket;
        this.prefix = prefix.replaceAll("^/+|/+$", "");
        this.target = target;
    }

    @Override
    public void create(String key, Path file, String sha256) {
        if (call(() -> target.create(key, file, sha256)) == ExportTarget.Outcome.CONFLICT) {
            throw new IllegalStateException("an object is already at the fresh key " + key);
        }
    }

    @Override
    public Optional<Stored> stat(String key) {
        return call(() -> {
            try {
                var head = client.headObject(b -> b.bucket(bucket).key(full(key)));
                return Optional.of(new Stored(key, head.contentLength(), head.lastModified()));
            } catch (S3Exception e) {
                return absent(e);
            }
        });
    }

    @Override
    public Optional<InputStream> open(String key, long first, long last) {
        return call(() -> {
            try {
                return Optional.of(
                        client.getObject(b -> b.bucket(bucket).key(full(key)).range("bytes=" + first + "-" + last)));
            } catch (S3Exception e) {
                return absent(e);
            }
        });
    }

    /** Empty for a 404 (no such key); any other refusal is rethrown. */
    private static <T> Optional<T> absent(S3Exception e) {
        if (e instanceof NoSuchKeyException || e.statusCode() == 404) {
            return Optional.empty();
        }
        throw e;
    }

    @Override
    public Iterator<List<Stored>> list(int pageSize) {
        String root = prefix.isEmpty() ? "" : prefix + "/";
        Iterator<ListObjectsV2Response> pages = client.listObjectsV2Paginator(
                        b -> b.bucket(bucket).prefix(root).maxKeys(pageSize))
                .iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return call(pages::hasNext);
            }

            @Override
            public List<Stored> next() {
                return call(() -> pages.next().contents().stream()
                        .map(o -> new Stored(o.key().substring(root.length()), o.size(), o.lastModified()))
                        .toList());
            }
        };
    }

    @Override
    public int abortUploadsStartedBefore(Instant before) {
        String root = prefix.isEmpty() ? "" : prefix + "/";
        int aborted = 0;
        for (var u : client.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(root))
                .uploads()) {
            if (u.initiated().isBefore(before)) {
                client.abortMultipartUpload(b -> b.bucket(bucket).key(u.key()).uploadId(u.uploadId()));
                aborted++;
            }
        }
        return aborted;
    }

    @Override
    public void delete(String key) {
        call(() -> {
            target.delete(key);
            return null;
        });
    }

    @Override
    public Optional<URI> presign(String key, String contentType, Duration validFor) {
        var signed = presigner.presignGetObject(p -> p.signatureDuration(validFor)
                .getObjectRequest(g -> g.bucket(bucket).key(full(key)).responseContentType(contentType)));
        return Optional.of(URI.create(signed.url().toString()));
    }

    @Override
    public ExportTarget target() {
        return target;
    }

    @Override
    public void close() {
        presigner.close();
        target.close();
    }

    /** Runs a request, turning an outage of the store (after the SDK's retries) into a 503. */
    private <T> T call(Supplier<T> request) {
        try {
            return request.get();
        } catch (RuntimeException e) {
            throw S3Outage.translate(e, describe());
        }
    }

    private String full(String key) {
        return prefix.isEmpty() ? key : prefix + "/" + key;
    }
}
