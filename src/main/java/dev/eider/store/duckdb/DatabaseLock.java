package dev.eider.store.duckdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DuckDB lets one process write a database file. When another holds it, says who in Eider's words
 * ("Eider (PID n) is already serving data.db") instead of DuckDB's lock error.
 */
final class DatabaseLock {

    private static final Pattern HOLDER = Pattern.compile("Conflicting lock is held in (.*?) \\(PID (\\d+)\\)");

    private DatabaseLock() {}

    /** The message for a failed open, if another process holds the file's lock. */
    static Optional<String> describe(String duckDbMessage, Path file) {
        if (duckDbMessage == null || !duckDbMessage.contains("Could not set lock")) {
            return Optional.empty();
        }
        Matcher m = HOLDER.matcher(duckDbMessage);
        if (!m.find()) {
            return Optional.of("another process is using " + file + "; stop it or use POST /v1/exports");
        }
        String pid = m.group(2);
        String who = isEider(pid) ? "Eider" : "another process (" + m.group(1) + ")";
        return Optional.of(who + " (PID " + pid + ") is already serving " + file + "; stop it or use POST /v1/exports");
    }

    /** Whether the process runs Eider's jar or main class, as far as /proc tells (Linux). */
    private static boolean isEider(String pid) {
        try {
            String cmdline = new String(Files.readAllBytes(Path.of("/proc", pid, "cmdline")), StandardCharsets.UTF_8);
            return cmdline.contains("eider") || cmdline.contains("dev.eider.");
        } catch (IOException | SecurityException e) {
            // Not Linux, or not ours to read: a JVM holding a database file is most likely Eider.
            return true;
        }
    }
}
