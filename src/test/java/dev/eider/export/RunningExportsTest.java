package dev.eider.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eider.config.ExportSettings.Mode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a running export's progress says at each step. */
class RunningExportsTest {

    private static final Instant AT = Instant.parse("2026-11-27T13:00:00Z");
    private static final Instant STARTED = AT.minusSeconds(9);
    private static final ExportPlan PLAN = new ExportPlan(
            6, "t", Mode.SNAPSHOT, 0, 9, ExportState.PLANNED, List.of(), 0, 0, null, 0, AT, null, null, null);

    private final RunningExports running = new RunningExports(Clock.fixed(AT, ZoneOffset.UTC));

    @Test
    void whileWritten_partsSentCountButTotalsAreUnknown() {
        running.started(PLAN, STARTED);
        running.sent(PLAN, 5L << 20);

        assertThat(running.of(PLAN.id()))
                .contains(new RunningExports.Progress(0, STARTED, 0, null, 5L << 20, null, AT));
    }

    /**
     * Parts still going up after the database is done (the upload behind the writing, on a slow link) belong to the
     * upload: a new-user trial saw "writing" with no totals for the last 33 s of an export whose log said "wrote".
     */
    @Test
    void partsSentAfterTheFilesWereWritten_countAsUploading_withTheTotals() {
        running.started(PLAN, STARTED);
        running.sent(PLAN, 5L << 20);
        running.written(PLAN, 4, 61_290_571);
        running.sent(PLAN, 10L << 20);

        assertThat(running.of(PLAN.id()))
                .contains(new RunningExports.Progress(0, STARTED, 0, 4, 10L << 20, 61_290_571L, AT));

        running.uploaded(PLAN, 1, 4, 61_290_571, 61_290_571);
        assertThat(running.of(PLAN.id()))
                .contains(new RunningExports.Progress(0, STARTED, 1, 4, 61_290_571, 61_290_571L, AT));
    }

    @Test
    void attemptNumberedByTheExporter_isTheOneACancelRecords_untilItRecordsItself() {
        running.started(PLAN, STARTED);
        assertThat(running.of(PLAN.id()).orElseThrow().attemptOf(PLAN))
                .as("not numbered yet")
                .isEmpty();

        ExportPlan attempt = PLAN.asAttempt(1, STARTED.plusMillis(3));
        running.attempting(attempt);

        assertThat(running.of(PLAN.id()).orElseThrow().attemptOf(PLAN)).contains(attempt);
        assertThat(running.of(PLAN.id()).orElseThrow().attemptOf(attempt))
                .as("recorded with its file list")
                .isEmpty();
    }
}
