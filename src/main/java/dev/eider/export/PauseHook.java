package dev.eider.export;

import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test hook: with an environment variable set to a step's name, the work blocks for good when it
 * reaches that step, so that crash tests can kill the process exactly there. Unset in production:
 * then {@link #at} does nothing.
 *
 * <p>{@value #EXPORTS} steps, in order: {@code planned} (plan committed, nothing written),
 * {@code streaming} (a part of a data file sent while the file is still written, nothing visible),
 * {@code uploading} (first data object uploaded, the rest not), {@code manifest} (data uploaded,
 * manifest not), {@code head} (manifest written, head not), {@code done} (head written, plan not yet
 * marked succeeded).
 *
 * <p>{@value #FILES} steps: {@code multipart} (the first part of a multipart upload is stored, the
 * rest not), {@code uploaded} (the object is stored and verified, its reference not committed),
 * {@code committed} (the reference is durable, the answer not sent).
 */
public final class PauseHook {

    public static final String EXPORTS = "EIDER_EXPORT_PAUSE_AT";
    public static final String FILES = "EIDER_FILES_PAUSE_AT";
    public static final PauseHook NONE = new PauseHook(EXPORTS, null);

    private static final Logger log = LoggerFactory.getLogger(PauseHook.class);

    private final String variable;
    private final String step;

    public PauseHook(String variable, String step) {
        this.variable = variable;
        this.step = step == null || step.isBlank() ? null : step.trim().toLowerCase(Locale.ROOT);
    }

    /** The hook that {@code variable} (one of {@link #EXPORTS}, {@link #FILES}) sets, if any. */
    public static PauseHook fromEnvironment(String variable) {
        return new PauseHook(variable, System.getenv(variable));
    }

    public boolean pausesAt(String reached) {
        return reached.equals(step);
    }

    /** Blocks for good if the hook names {@code reached}; {@code subject} (an export id, a key) is logged. */
    public void at(String reached, Object subject) {
        if (!pausesAt(reached)) {
            return;
        }
        log.atWarn()
                .addKeyValue("event", "paused")
                .addKeyValue("step", reached)
                .addKeyValue("subject", subject)
                .log("paused by the test hook {}", variable);
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(subject + " interrupted while paused at " + reached, e);
        }
    }
}
