package dev.eider.export;

import dev.eider.concurrent.Shutdown;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's view of its export target: the {@link TargetCheck} run in the background at start
 * (never delaying writes), then again every minute while it fails, so that readiness heals once the
 * target is fixed. Readiness reports it beside ingest: a broken target stops exports, not writes.
 */
public final class TargetStatus implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TargetStatus.class);
    private static final long RECHECK_SECONDS = 60;

    private final ExportTarget target;
    private final Path workDir;
    private final ScheduledExecutorService checker;
    private volatile TargetCheck.Result result;

    private TargetStatus(ExportTarget target, Path workDir) {
        this.target = target;
        this.workDir = workDir;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "eider-target-check");
            t.setDaemon(true);
            return t;
        });
        // At close the recheck a minute away is dropped; a check in flight ends first (see close).
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.checker = executor;
    }

    /** Starts checking the target in the background; returns at once. */
    public static TargetStatus start(ExportTarget target, Path workDir) {
        TargetStatus status = new TargetStatus(target, workDir);
        status.checker.execute(status::check);
        return status;
    }

    private void check() {
        TargetCheck.Result r = TargetCheck.run(target, workDir);
        if (checker.isShutdown()) {
            return; // stopped meanwhile: a probe cut short says nothing of the target
        }
        boolean changed = result == null || result.ok() != r.ok();
        result = r;
        if (r.ok()) {
            if (changed) {
                log.atInfo()
                        .addKeyValue("event", "export_target_ok")
                        .addKeyValue("target", target.describe())
                        .log("export target works");
            }
            return;
        }
        if (changed) {
            log.atWarn()
                    .addKeyValue("event", "export_target_failed")
                    .addKeyValue("target", target.describe())
                    .addKeyValue("error", r.detail())
                    .log("export target check failed");
        }
        checker.schedule(this::check, RECHECK_SECONDS, TimeUnit.SECONDS);
    }

    /** The latest check's outcome; empty until the first check ends. */
    public Optional<TargetCheck.Result> result() {
        return Optional.ofNullable(result);
    }

    /** The target, as its setting names it. */
    public String describe() {
        return target.describe();
    }

    /**
     * Stops checking: a check in flight may end, for a few seconds, so that its probe is gone (an interrupt would
     * stop it between its write and its delete). A store that stopped answering does not hold up the stop: the probe
     * is then left, a small object nothing reads.
     */
    @Override
    public void close() {
        Shutdown.gently(checker, "the export target check");
    }
}
