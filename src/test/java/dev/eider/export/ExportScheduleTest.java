package dev.eider.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eider.config.DataSize;
import dev.eider.config.ExportSettings;
import dev.eider.config.ExportSettings.Mode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExportScheduleTest {

    static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");

    static ExportSettings settings(Mode mode, int snapshotEvery) {
        return new ExportSettings(mode, Duration.ofHours(1), snapshotEvery, "zstd", DataSize.ofMegabytes(256), null);
    }

    @Test
    void isDue_onePeriodAfterLastPlan_evenWithoutNewData() {
        ExportSettings s = settings(Mode.CHANGES, 0);
        assertThat(ExportSchedule.isDue(s, Optional.of(T0), T0, T0.plusSeconds(3599)))
                .isFalse();
        assertThat(ExportSchedule.isDue(s, Optional.of(T0), T0, T0.plusSeconds(3600)))
                .isTrue();
    }

    @Test
    void isDue_neverExported_countsFromStart() {
        ExportSettings s = settings(Mode.CHANGES, 0);
        assertThat(ExportSchedule.isDue(s, Optional.empty(), T0, T0.plusSeconds(60)))
                .isFalse();
        assertThat(ExportSchedule.isDue(s, Optional.empty(), T0, T0.plusSeconds(3600)))
                .isTrue();
    }

    @Test
    void mode_nthChangeExport_becomesSnapshot() {
        ExportSettings s = settings(Mode.CHANGES, 24);
        assertThat(ExportSchedule.mode(s, 22, true)).isEqualTo(Mode.CHANGES);
        assertThat(ExportSchedule.mode(s, 23, true)).isEqualTo(Mode.SNAPSHOT);
        assertThat(ExportSchedule.mode(settings(Mode.CHANGES, 0), 1000, true)).isEqualTo(Mode.CHANGES);
        assertThat(ExportSchedule.mode(settings(Mode.SNAPSHOT, 0), 0, true)).isEqualTo(Mode.SNAPSHOT);
    }

    @Test
    void mode_tableWithoutSnapshot_isSnapshotWhateverTheSetting() {
        assertThat(ExportSchedule.mode(settings(Mode.CHANGES, 0), 0, false)).isEqualTo(Mode.SNAPSHOT);
        assertThat(ExportSchedule.mode(settings(Mode.CHANGES, 24), 5, false)).isEqualTo(Mode.SNAPSHOT);
    }

    @Test
    void retryAfter_doublesUpToTwoMinutes() {
        assertThat(ExportSchedule.retryAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(ExportSchedule.retryAfter(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(ExportSchedule.retryAfter(50)).isEqualTo(Duration.ofMinutes(2));
    }
}
