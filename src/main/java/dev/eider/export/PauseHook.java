package dev.eider.export;

import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test hook: with {@code EIDER_EXPORT_PAUSE_AT=<step>} an export blocks for good when it reaches
 * that step, so that crash tests can kill the process exactly there. Steps, in order:
 * {@code planned} (plan committed, nothing written), {@code uploading} (first data object
 * uploaded, the rest not), {@code manifest} (data uploaded, manifest not), {@code head} (manifest
 * written, head not), {@code done} (head written, plan not yet marked succeeded). Unset in
 * production: then {@link #at} does nothing.
 */
public final class PauseHook {

    public static final String VARIABLE = "EIDER_EXPORT_PAUSE_AT";
    public static final PauseHook NONE = new PauseHook(null);

    private static final Logger log = LoggerFactory.getLogger(PauseHook.class);

    private final String step;

    public PauseHook(String step) {
        this.step = step == null || step.isBlank() ? null : step.trim().toLowerCase(Locale.ROOT);
    }

    public static PauseHook fromEnvironment() {
        return new PauseHook(System.getenv(VARIABLE));
    }

    void at(String reached, long exportId) {
        if (!reached.equals(step)) {
            return;
        }
        log.atWarn()
                .addKeyValue("event", "export_paused")
                .addKeyValue("step", reached)
                .addKeyValue("export", exportId)
                .log("paused by the test hook {}", VARIABLE);
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("export " + exportId + " interrupted while paused at " + reached, e);
        }
    }
}
