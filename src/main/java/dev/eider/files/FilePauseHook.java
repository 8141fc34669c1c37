package dev.eider.files;

import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test hook: with {@code EIDER_FILES_PAUSE_AT=<step>} a file upload blocks for good at that step,
 * so that crash tests can kill the process exactly there. Steps, in order: {@code multipart} (the
 * first part of a multipart upload is in S3, the rest not), {@code uploaded} (the object is stored
 * and verified, its reference not committed), {@code committed} (the reference is durable, the
 * answer not sent). Unset in production: then {@link #at} does nothing.
 */
public final class FilePauseHook {

    public static final String VARIABLE = "EIDER_FILES_PAUSE_AT";
    public static final FilePauseHook NONE = new FilePauseHook(null);

    private static final Logger log = LoggerFactory.getLogger(FilePauseHook.class);

    private final String step;

    public FilePauseHook(String step) {
        this.step = step == null || step.isBlank() ? null : step.trim().toLowerCase(Locale.ROOT);
    }

    public static FilePauseHook fromEnvironment() {
        return new FilePauseHook(System.getenv(VARIABLE));
    }

    boolean pausesAt(String reached) {
        return reached.equals(step);
    }

    void at(String reached, String key) {
        if (!pausesAt(reached)) {
            return;
        }
        log.warn("event=file_paused step={} key={} (test hook {})", reached, key, VARIABLE);
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("file upload interrupted while paused at " + reached, e);
        }
    }
}
