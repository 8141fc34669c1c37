package dev.eider.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eider.testing.S3ProxyServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** The S3 target against S3Proxy: multipart uploads, conditional creates and adoption. */
class S3TargetIT {

    @TempDir
    Path dir;

    @Test
    void create_largeFileInParts_thenSameAdoptedAndDifferentConflicts() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start(dir, "parts")) {
            S3Target target = new S3Target(s3.client(), "parts", "p", 5L << 20, 5L << 20);
            byte[] bytes = new byte[12 << 20];
            new Random(1).nextBytes(bytes);
            Path big = Files.write(dir.resolve("big"), bytes);
            Path other = Files.writeString(dir.resolve("other"), "other");

            assertThat(target.create("t/big.parquet", big, Sha256.of(big))).isEqualTo(ExportTarget.Outcome.CREATED);
            assertThat(target.create("t/big.parquet", big, Sha256.of(big))).isEqualTo(ExportTarget.Outcome.ADOPTED);
            assertThat(target.create("t/big.parquet", other, Sha256.of(other)))
                    .isEqualTo(ExportTarget.Outcome.CONFLICT);

            // Whole or in parts, Parquet is stored as Parquet (a trial found two different types).
            Path small = Files.writeString(dir.resolve("small"), "small");
            target.create("t/small.parquet", small, Sha256.of(small));
            for (String key : List.of("p/t/big.parquet", "p/t/small.parquet")) {
                assertThat(s3.client()
                                .headObject(b -> b.bucket("parts").key(key))
                                .contentType())
                        .as(key)
                        .isEqualTo("application/vnd.apache.parquet");
            }

            Path back = dir.resolve("back");
            target.download("t/big.parquet", back);
            assertThat(Sha256.of(back)).isEqualTo(Sha256.of(big));
            assertThat(s3.client().listMultipartUploads(b -> b.bucket("parts")).uploads())
                    .isEmpty();
        }
    }

    @Test
    void createAndPut_ofContentInMemory_areConditionalAndReadBackByteForByte() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start(dir, "small")) {
            S3Target target = new S3Target(s3.client(), "small", "p", 5L << 20, 5L << 20);
            byte[] last = InMemoryObjects.assertCreatedOnceAndReplaced(target);

            var head = s3.client().headObject(b -> b.bucket("small").key("p/t/_head.json"));
            assertThat(head.metadata()).containsEntry(S3Target.SHA256, Sha256.of(last));
            // The type a file of that name got when heads went up as files.
            assertThat(head.contentType()).isEqualTo("application/json");
        }
    }

    @Test
    void create_afterAnAttemptKilledMidUpload_abortsItsLeftoverUpload() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start(dir, "stale")) {
            S3Target target = new S3Target(s3.client(), "stale", "p", 5L << 20, 5L << 20);
            byte[] bytes = new byte[11 << 20];
            new Random(2).nextBytes(bytes);
            Path big = Files.write(dir.resolve("big"), bytes);
            // What a kill -9 between CreateMultipartUpload and Complete leaves in the bucket.
            s3.client().createMultipartUpload(b -> b.bucket("stale").key("p/t/big.parquet"));
            s3.client().createMultipartUpload(b -> b.bucket("stale").key("p/t/big.parquet.other"));

            assertThat(target.create("t/big.parquet", big, Sha256.of(big))).isEqualTo(ExportTarget.Outcome.CREATED);

            assertThat(s3.client().listMultipartUploads(b -> b.bucket("stale")).uploads())
                    .extracting(u -> u.key())
                    .containsExactly("p/t/big.parquet.other");
        }
    }

    /**
     * A store that takes connections and then reads nothing (a new-user trial froze its proxy mid-upload): the
     * socket's timeout covers reads only, and the export hung for good, cancel or not. Each try now has a time.
     */
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard: it used to hang
    void put_toAStoreThatStopsReading_failsNamingTheEndpoint() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket stalled = new ServerSocket()) {
            stalled.setReceiveBufferSize(16 << 10);
            stalled.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread accepting = new Thread(() -> {
                try {
                    while (true) {
                        held.add(stalled.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            accepting.setDaemon(true);
            accepting.start();
            System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
            System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
            String endpoint = "http://127.0.0.1:" + stalled.getLocalPort();
            try (S3Client client = S3Target.client(S3ProxyServer.config(endpoint))) {
                // One second a try, plus the body at 64 MiB/s: two tries of a 16 MiB file take seconds, not minutes.
                S3Multipart bounded =
                        new S3Multipart(client, "b", 64L << 20, 5L << 20, Duration.ofSeconds(1), 64L << 20);
                S3Target target = new S3Target(client, endpoint, "b", "p", bounded);
                byte[] bytes = new byte[16 << 20];
                new Random(2).nextBytes(bytes);
                Path file = Files.write(dir.resolve("big.parquet"), bytes);

                assertThatThrownBy(() -> target.put("t/big.parquet", file, "x"))
                        .isInstanceOf(TargetException.class)
                        .hasMessage("s3://b/p: " + endpoint + " did not finish a request within its time (a store"
                                + " that stopped reading, or an upload slower than 256 KiB/s); check"
                                + " export.s3.endpoint and the network");
                assertThat(held).as("two tries in all, not the SDK's five").hasSizeBetween(1, 2);
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void partSize_forHugeFile_staysWithinTenThousandParts() {
        S3Multipart m = new S3Multipart(null, "b", 64L << 20, 16L << 20);
        long oneTiB = 1L << 40;
        assertThat(Math.ceil((double) oneTiB / m.partSize(oneTiB))).isLessThanOrEqualTo(10_000);
        assertThat(m.partSize(1L << 30)).isEqualTo(16L << 20);
    }
}
