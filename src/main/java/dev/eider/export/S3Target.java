package dev.eider.export;

import dev.eider.config.S3Config;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An S3 bucket (AWS or any S3-compatible store) below a key prefix. Objects above the multipart
 * threshold go up in parts through {@link S3Multipart}; creates are conditional
 * ({@code If-None-Match: *}) and every object carries its SHA-256 in user metadata so that an
 * object an earlier attempt wrote can be recognised and adopted.
 */
public final class S3Target implements ExportTarget {

    static final String SHA256 = "sha256";

    private final S3Client client;
    private final String endpoint;
    private final String bucket;
    private final String prefix;
    private final S3Multipart multipart;

    public S3Target(S3Client client, String bucket, String prefix, long multipartThreshold, long partSize) {
        this(client, null, bucket, prefix, multipartThreshold, partSize);
    }

    /** With the endpoint override the client uses (null for AWS), for messages. */
    S3Target(S3Client client, String endpoint, String bucket, String prefix, long multipartThreshold, long partSize) {
        this(client, endpoint, bucket, prefix, new S3Multipart(client, bucket, multipartThreshold, partSize));
    }

    /** With the uploads {@code multipart} makes into the bucket (tests bound them otherwise). */
    S3Target(S3Client client, String endpoint, String bucket, String prefix, S3Multipart multipart) {
        this.client = client;
        this.endpoint = endpoint;
        this.bucket = bucket;
        this.prefix = prefix.replaceAll("^/+|/+$", "");
        this.multipart = multipart;
    }

    /** A client for the configured endpoint, with credentials from the AWS SDK's default chain. */
    public static S3Client client(S3Config config) {
        var builder = S3Client.builder()
                .region(Region.of(config.region()))
                .forcePathStyle(config.pathStyle())
                // S3-compatible stores reject the SDK's default CRC32 checksums.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .serviceConfiguration(
                        S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .httpClientBuilder(Apache5HttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(5)));
        if (config.endpoint() != null) {
            builder.endpointOverride(URI.create(config.endpoint()));
        }
        return builder.build();
    }

    @Override
    public Outcome create(String key, Path file, String sha256) {
        String full = full(key);
        return created(full, sha256, () -> multipart.upload(full, file, Map.of(SHA256, sha256), true));
    }

    @Override
    public Outcome create(String key, byte[] content, String sha256) {
        String full = full(key);
        return created(full, sha256, () -> multipart.upload(full, content, Map.of(SHA256, sha256), true));
    }

    /** Runs a conditional upload to {@code full}; what S3 found when it refused it. */
    private Outcome created(String full, String sha256, Runnable upload) {
        return call(() -> {
            try {
                upload.run();
                return Outcome.CREATED;
            } catch (S3Exception e) {
                if (e.statusCode() != 412 && e.statusCode() != 409) {
                    throw e;
                }
                String existing = client.headObject(b -> b.bucket(bucket).key(full))
                        .metadata()
                        .get(SHA256);
                return sha256.equals(existing) ? Outcome.ADOPTED : Outcome.CONFLICT;
            }
        });
    }

    @Override
    public long partSize() {
        return multipart.partSize();
    }

    @Override
    public int maxParts() {
        return S3Multipart.MAX_PARTS;
    }

    @Override
    public void abortUnfinished(String prefix) {
        multipart.abortUnfinished(full(prefix));
    }

    @Override
    public PartUpload startParts(String key) {
        return call(() -> new S3Parts(client, multipart, bucket, full(key), this::call));
    }

    @Override
    public void put(String key, Path file, String sha256) {
        call(() -> {
            multipart.upload(full(key), file, Map.of(SHA256, sha256), false);
            return null;
        });
    }

    @Override
    public void put(String key, byte[] content, String sha256) {
        call(() -> {
            multipart.upload(full(key), content, Map.of(SHA256, sha256), false);
            return null;
        });
    }

    @Override
    public Optional<byte[]> read(String key) {
        return call(() -> {
            try {
                return Optional.of(client.getObjectAsBytes(b -> b.bucket(bucket).key(full(key)))
                        .asByteArray());
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            }
        });
    }

    @Override
    public void download(String key, Path to) {
        try {
            Files.deleteIfExists(to);
            Files.createDirectories(to.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        call(() -> client.getObject(b -> b.bucket(bucket).key(full(key)), ResponseTransformer.toFile(to)));
    }

    @Override
    public void delete(String key) {
        call(() -> client.deleteObject(b -> b.bucket(bucket).key(full(key))));
    }

    @Override
    public String describe() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    @Override
    public void close() {
        client.close();
    }

    /** Runs an S3 request (the SDK retries it), turning what the SDK throws into plain words. */
    <T> T call(Supplier<T> request) {
        try {
            return request.get();
        } catch (SdkException e) {
            throw TargetException.of(e, describe(), endpoint);
        }
    }

    private String full(String key) {
        return prefix.isEmpty() ? key : prefix + "/" + key;
    }

    /**
     * The first {@code length} bytes as a request body, not copied (the SDK reads them once to sign them and
     * again for each try): the caller keeps the array unchanged until the request returns.
     */
    static RequestBody body(byte[] bytes, int length) {
        return RequestBody.fromContentProvider(
                () -> new ByteArrayInputStream(bytes, 0, length), length, "application/octet-stream");
    }
}
