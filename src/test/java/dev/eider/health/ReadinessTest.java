package dev.eider.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eider.health.Readiness.Check;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    private static final Check INGEST_OK = new Check("ingest", "data.db", "ok", null, true, List.of());
    private static final Check TARGET_FAILING =
            new Check("export_target", "s3://b/p", "failing", "the bucket does not exist", false, List.of());

    @Test
    void ready_withOnlyOptionalChecksFailing_isReady() {
        Readiness r = new Readiness(List.of(
                INGEST_OK,
                TARGET_FAILING,
                new Check("exports", null, "failing", "records: failed", false, List.of(Map.of("id", 3)))));

        assertThat(r.ready()).isTrue();
        assertThat(r.status()).isEqualTo("ready");
        assertThat(r.detail()).isNull();
    }

    @Test
    void ready_withRequiredCheckFailing_takesItsStatusAndDetail() {
        Readiness r = new Readiness(List.of(
                TARGET_FAILING, new Check("ingest", "data.db", "failed", "the log failed; restart", true, List.of())));

        assertThat(r.ready()).isFalse();
        assertThat(r.status()).isEqualTo("failed");
        assertThat(r.detail()).isEqualTo("the log failed; restart");
    }

    @Test
    void check_byName_findsItOrNothing() {
        Readiness r = new Readiness(List.of(INGEST_OK, TARGET_FAILING));

        assertThat(r.check("export_target")).contains(TARGET_FAILING);
        assertThat(r.check("exports")).isEmpty();
    }
}
