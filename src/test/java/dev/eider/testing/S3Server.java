package dev.eider.testing;

import dev.eider.config.S3Config;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3 implementation running on loopback for tests, with one bucket created: S3Proxy in-process
 * or s3rver in a child process, so that exports are checked against two independent servers.
 */
public interface S3Server extends AutoCloseable {

    /** Which implementation, for test names. */
    String name();

    String bucket();

    /** {@code http://127.0.0.1:port} */
    String endpoint();

    /** A client of the tests' own, with the same settings the service uses. */
    S3Client client();

    /** The S3 settings the service needs for this server. */
    default S3Config config() {
        return S3ProxyServer.config(endpoint());
    }

    /** Environment for a child JVM that exports to {@code s3://bucket/prefix} through this server. */
    default Map<String, String> environment(String prefix) {
        return Map.of(
                "EIDER_EXPORT_TARGET",
                "s3://" + bucket() + "/" + prefix,
                "EIDER_S3_ENDPOINT",
                endpoint(),
                "EIDER_S3_PATH_STYLE",
                "true",
                "AWS_ACCESS_KEY_ID",
                S3ProxyServer.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY",
                S3ProxyServer.SECRET_KEY);
    }

    @Override
    void close();

    /** Starts one of the implementations by its {@link #name()}: {@code s3proxy} or {@code s3rver}. */
    static S3Server start(String name, Path dir, String bucket) throws Exception {
        return switch (name) {
            case "s3proxy" -> S3ProxyServer.start(dir, bucket);
            case "s3rver" -> S3rverServer.start(dir, bucket);
            default -> throw new IllegalArgumentException("no S3 server named " + name);
        };
    }
}
