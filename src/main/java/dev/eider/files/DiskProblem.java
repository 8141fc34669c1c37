package dev.eider.files;

import dev.eider.ingest.UnavailableException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local folder Eider must write a file to (the files target, the spool) refuses: read-only, full,
 * or not a folder. That is the operator's to fix, not the client's fault and not a bug: 503, which the
 * client may retry, naming the setting; the path and the system's reason go to the log.
 */
final class DiskProblem {

    private static final Logger log = LoggerFactory.getLogger(DiskProblem.class);
    /** Long enough for an operator's fix to be worth a retry, short enough for an interactive client. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(30);

    private DiskProblem() {}

    static UnavailableException unwritable(String setting, Path folder, Throwable e) {
        log.atError()
                .addKeyValue("event", "files_folder_unwritable")
                .addKeyValue("setting", setting)
                .addKeyValue("folder", folder)
                .addKeyValue("error", reason(e))
                .log("a files folder cannot be written");
        return new UnavailableException(
                "Files folder unavailable",
                "the folder of " + setting + " cannot be written (read-only, full, or not a folder); nothing was"
                        + " changed; the operator must fix " + setting,
                RETRY_AFTER,
                e);
    }

    private static String reason(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof FileSystemException f) {
                return f.getFile() + ": "
                        + (f.getReason() != null ? f.getReason() : f.getClass().getSimpleName());
            }
            if (c instanceof IOException && c.getCause() == null) {
                return String.valueOf(c.getMessage());
            }
        }
        return String.valueOf(e.getMessage());
    }
}
