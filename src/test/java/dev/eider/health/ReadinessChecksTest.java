package dev.eider.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eider.config.S3Config;
import dev.eider.export.ExportPlan;
import dev.eider.export.ExportTarget;
import dev.eider.export.ExportTargets;
import dev.eider.export.TargetStatus;
import dev.eider.ingest.Health;
import dev.eider.store.StoreException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadinessChecksTest {

    @TempDir
    Path dir;

    @Test
    void exportsTheDatabaseCannotList_areUnknown_andIngestStillDecides() throws Exception {
        // New-user trial: with DuckDB stopped after a fatal error, listing exports threw and /health/live
        // answered a 500-style problem instead of {"status":"failed"}.
        Supplier<List<ExportPlan>> failing = () -> {
            throw new StoreException(
                    "cannot list exports",
                    new SQLException("FATAL Error: Failed: database has been invalidated because of a previous fatal"
                            + " error"));
        };
        try (ExportTarget target =
                        ExportTargets.open("file:" + dir.resolve("exports"), new S3Config(null, "us-east-1", false));
                TargetStatus status = TargetStatus.start(target, dir.resolve("work"))) {
            ReadinessChecks checks =
                    new ReadinessChecks("duckdb", () -> new Health("failed", "the database stopped"), failing, status);

            Readiness r = checks.get();

            assertThat(r.check("ingest").orElseThrow().status()).isEqualTo("failed");
            assertThat(r.check("exports").orElseThrow().status()).isEqualTo("unknown");
            assertThat(r.check("exports").orElseThrow().detail()).contains("cannot list exports");
            assertThat(r.status()).isEqualTo("failed");
        }
    }
}
