package dev.eider.bench;

import dev.eider.testing.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * S3Proxy in a process of its own, for benchmarks that must not count the store's CPU as Eider's: prints
 * {@code endpoint <url>} once its bucket {@code bench} exists, and serves until killed. Its files go to a
 * temporary folder that is deleted on a normal exit only; {@code bench/export-bench.sh} deletes it.
 */
public final class S3ProxyMain {

    private S3ProxyMain() {}

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("eider-s3proxy");
        S3ProxyServer s3 = S3ProxyServer.start(dir, "bench");
        System.out.println("endpoint " + s3.endpoint());
        System.out.flush();
        Thread.currentThread().join();
    }
}
