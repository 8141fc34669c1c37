package dev.eider.testing;

import dev.eider.config.S3Config;
import dev.eider.export.S3Target;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3Proxy in-process on loopback, storing objects in a folder: the real S3 protocol (signatures,
 * multipart, conditional writes) for tests. Credentials reach the service through the AWS SDK's
 * default chain (system properties in-process, environment variables for child JVMs).
 */
public final class S3ProxyServer implements S3Server {

    public static final String ACCESS_KEY = "eider-test";
    public static final String SECRET_KEY = "eider-test-secret";

    private final S3Proxy proxy;
    private final S3Client client;
    public final String bucket;

    private S3ProxyServer(S3Proxy proxy, String bucket) {
        this.proxy = proxy;
        this.bucket = bucket;
        this.client = S3Target.client(config());
    }

    public static S3ProxyServer start(Path dir, String bucket) throws Exception {
        Path root = Files.createDirectories(dir.resolve("s3"));
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(root.toString()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        S3ProxyServer server = new S3ProxyServer(proxy, bucket);
        server.client.createBucket(b -> b.bucket(bucket));
        return server;
    }

    public int port() {
        return proxy.getPort();
    }

    @Override
    public String name() {
        return "s3proxy";
    }

    @Override
    public String bucket() {
        return bucket;
    }

    @Override
    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    /** The settings that point Eider's exports at {@code s3://<bucket/prefix>} on this server. */
    public Map<String, String> exportFlags(String bucketAndPrefix) {
        return Map.of(
                "export.target",
                "s3://" + bucketAndPrefix,
                "export.s3.endpoint",
                endpoint(),
                "export.s3.path_style",
                "true");
    }

    /** The S3 settings for an endpoint (S3Proxy itself, or a fault-injecting proxy in front of it). */
    public static S3Config config(String endpoint) {
        return new S3Config(endpoint, "us-east-1", true);
    }

    @Override
    public S3Client client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop S3Proxy", e);
        }
    }
}
