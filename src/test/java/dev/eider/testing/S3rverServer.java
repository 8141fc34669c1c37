package dev.eider.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eider.export.S3Target;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * s3rver (npm) in a child {@code node} process: an S3 implementation independent of S3Proxy, and a
 * strict one for what clients send, since it stores an {@code aws-chunked} body as it arrives,
 * chunk signatures included. {@code .ci/run} installs it ({@code npm ci} in {@code src/test/s3rver}).
 */
public final class S3rverServer implements S3Server {

    static final Path HOME = Path.of("src/test/s3rver");

    private final Process process;
    private final int port;
    private final String bucket;
    private final S3Client client;

    private S3rverServer(Process process, int port, String bucket) {
        this.process = process;
        this.port = port;
        this.bucket = bucket;
        this.client = S3Target.client(config());
    }

    public static S3rverServer start(Path dir, String bucket) throws IOException {
        if (!Files.isDirectory(HOME.resolve("node_modules/s3rver"))) {
            throw new IllegalStateException(
                    "s3rver is not installed: run `npm ci` in " + HOME.toAbsolutePath() + " (.ci/run does this)");
        }
        Path data = Files.createDirectories(dir.resolve("s3rver"));
        ProcessBuilder builder = new ProcessBuilder(
                        "node", "start.js", data.toAbsolutePath().toString())
                .directory(HOME.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("S3RVER_ACCESS_KEY", S3ProxyServer.ACCESS_KEY);
        builder.environment().put("S3RVER_SECRET_KEY", S3ProxyServer.SECRET_KEY);
        Process process = builder.start();
        String line = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8)).readLine();
        if (line == null) {
            process.destroyForcibly();
            throw new IllegalStateException("s3rver did not start (see its error output above)");
        }
        int port = new ObjectMapper().readTree(line).path("port").asInt();
        // The same credentials as S3Proxy, so in-process services find them through the default chain.
        System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
        S3rverServer server = new S3rverServer(process, port, bucket);
        server.client.createBucket(b -> b.bucket(bucket));
        return server;
    }

    @Override
    public String name() {
        return "s3rver";
    }

    @Override
    public String bucket() {
        return bucket;
    }

    @Override
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public S3Client client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        try {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
