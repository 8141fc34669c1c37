package dev.eider.bench;

import dev.eider.testing.Http;
import dev.eider.testing.RunningEider;
import dev.eider.testing.S3ProxyServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Files benchmark (not a test): uploading a file through Eider ({@code PUT …/files/pdf}: spool,
 * hash, conditional upload, HEAD, commit) against a plain AWS SDK PUT of the same bytes to the same
 * S3Proxy bucket, in the same run, alternating. Run by {@code bench/files-bench.sh}.
 */
public final class FilesBench {

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("eider-files-bench");
        try (S3ProxyServer s3 = S3ProxyServer.start(dir, "bench");
                RunningEider eider = RunningEider.start(
                        dir,
                        """
                        tables:
                          - name: docs
                            primary_key: id
                            columns:
                              - {name: id, type: int64}
                              - {name: pdf, type: file}
                        """,
                        Map.of(
                                "export.target", "s3://bench/eider",
                                "export.s3.endpoint", s3.endpoint(),
                                "export.s3.path_style", "true",
                                "files.max_size", "200MB"))) {
            Http http = eider.http();
            http.post("/v1/tables/docs/records", "{\"id\": 1}");
            run(s3, http, "1 MiB", 1 << 20, 40);
            run(s3, http, "100 MiB", 100 << 20, 4);
        }
    }

    private static void run(S3ProxyServer s3, Http http, String label, int size, int rounds) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        for (int warm = 0; warm < 2; warm++) {
            eider(http, bytes);
            plain(s3, bytes, "warm");
        }
        long eiderNanos = 0;
        long plainNanos = 0;
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            eider(http, bytes);
            long t1 = System.nanoTime();
            plain(s3, bytes, "plain-" + i);
            long t2 = System.nanoTime();
            eiderNanos += t1 - t0;
            plainNanos += t2 - t1;
        }
        double mb = (double) size * rounds / (1 << 20);
        double eiderRate = mb / (eiderNanos / 1e9);
        double plainRate = mb / (plainNanos / 1e9);
        System.out.printf(
                "%s x%d: eider %.1f MiB/s, plain SDK PUT %.1f MiB/s, ratio %.2f%n",
                label, rounds, eiderRate, plainRate, eiderRate / plainRate);
    }

    private static void eider(Http http, byte[] bytes) {
        HttpResponse<String> r = http.send(http.request("/v1/tables/docs/records/1/files/pdf")
                .header("Content-Type", "application/pdf")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
        if (r.statusCode() != 200) {
            throw new IllegalStateException(r.statusCode() + " " + r.body());
        }
    }

    private static void plain(S3ProxyServer s3, byte[] bytes, String key) {
        s3.client().putObject(b -> b.bucket("bench").key("plain/" + key), RequestBody.fromBytes(bytes));
    }
}
