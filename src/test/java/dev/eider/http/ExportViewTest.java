package dev.eider.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eider.config.ExportSettings.Mode;
import dev.eider.export.ExportPlan;
import dev.eider.export.ExportState;
import dev.eider.export.RunningExports;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How an export reads in the API while this service works on it. */
class ExportViewTest {

    private static final Instant AT = Instant.parse("2026-11-27T03:00:00Z");
    private static final Instant STARTED = AT.plusSeconds(30);
    private static final RunningExports.Progress WRITING =
            new RunningExports.Progress(0, STARTED, 0, null, 0, null, STARTED.plusSeconds(1));

    @Test
    void plannedOrFailedExportAtWork_readsRunning() {
        // Its attempt is recorded after its COPY: a trial saw "planned" beside a progress object for seconds.
        assertThat(ExportView.of(plan(ExportState.PLANNED), Optional.of(WRITING))
                        .get("state"))
                .isEqualTo("running");
        assertThat(ExportView.of(plan(ExportState.FAILED), Optional.of(WRITING)).get("state"))
                .isEqualTo("running");
    }

    /**
     * A retry at work is the latest attempt, which has not failed: a new-user trial read the previous attempt's error
     * and a next attempt time already past beside "running".
     */
    @Test
    void failedExportAtWorkAgain_showsNoErrorNorNextAttempt() {
        ExportPlan failed = new ExportPlan(
                7,
                "records",
                Mode.CHANGES,
                10,
                20,
                ExportState.FAILED,
                List.of(),
                0,
                0,
                "S3 was down",
                3,
                AT,
                AT.plusSeconds(2),
                AT.plusSeconds(3),
                AT.plusSeconds(4));

        var view = ExportView.of(failed, Optional.of(WRITING));

        assertThat(view.get("state")).isEqualTo("running");
        assertThat(view.get("error")).isNull();
        assertThat(view.get("next_attempt_at")).isNull();
        // Nor the previous attempt's times (a trial, round seventeen): this one's start, no end yet.
        assertThat(view.get("started_at")).isEqualTo(STARTED);
        assertThat(view.get("finished_at")).isNull();
        assertThat(view.get("duration_ms")).isNull();
        var stored = ExportView.of(failed, Optional.empty());
        assertThat(stored.get("error")).isEqualTo("S3 was down");
        assertThat(stored.get("duration_ms")).isEqualTo(1000L);
    }

    @Test
    void exportNotAtWorkOrFinished_readsAsStored() {
        assertThat(ExportView.of(plan(ExportState.PLANNED), Optional.empty()).get("state"))
                .isEqualTo("planned");
        assertThat(ExportView.of(plan(ExportState.SUCCEEDED), Optional.of(WRITING))
                        .get("state"))
                .isEqualTo("succeeded");
        // A cancelled attempt runs on until it next looks: its progress is not shown (a trial).
        var cancelled = ExportView.of(plan(ExportState.CANCELLED), Optional.of(WRITING));
        assertThat(cancelled.get("state")).isEqualTo("cancelled");
        assertThat(cancelled).doesNotContainKey("progress");
    }

    @Test
    void attemptAtWork_countsBeforeItRecordsItself() {
        // Recorded with its file list, after its COPY: a trial saw "attempts": 0 beside a running export.
        var view = ExportView.of(
                plan(ExportState.PLANNED),
                Optional.of(new RunningExports.Progress(1, STARTED, 0, null, 0, null, STARTED)));
        assertThat(view.get("attempts")).isEqualTo(1);
        assertThat(view).containsKey("progress");
    }

    private static ExportPlan plan(ExportState state) {
        return new ExportPlan(
                7, "records", Mode.CHANGES, 10, 20, state, List.of(), 0, 0, null, 0, AT, null, null, null);
    }
}
