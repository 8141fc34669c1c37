package dev.eider.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eider.testing.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

            Path back = dir.resolve("back");
            target.download("t/big.parquet", back);
            assertThat(Sha256.of(back)).isEqualTo(Sha256.of(big));
            assertThat(s3.client().listMultipartUploads(b -> b.bucket("parts")).uploads())
                    .isEmpty();
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

    @Test
    void partSize_forHugeFile_staysWithinTenThousandParts() {
        S3Multipart m = new S3Multipart(null, "b", 64L << 20, 16L << 20);
        long oneTiB = 1L << 40;
        assertThat(Math.ceil((double) oneTiB / m.partSize(oneTiB))).isLessThanOrEqualTo(10_000);
        assertThat(m.partSize(1L << 30)).isEqualTo(16L << 20);
    }
}
