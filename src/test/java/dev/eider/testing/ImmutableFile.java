package dev.eider.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file made immutable ({@code chattr +i}) until {@link #release()}, so that even root cannot write it: how tests make
 * DuckDB's own log refuse a commit. The test is skipped where {@code chattr} does not work on the file.
 */
public final class ImmutableFile {

    private final Path file;

    private ImmutableFile(Path file) {
        this.file = file;
    }

    public static ImmutableFile of(Path file) {
        assumeTrue(Files.exists(file) && chattr("+i", file), "chattr +i works on " + file);
        return new ImmutableFile(file);
    }

    public void release() {
        chattr("-i", file);
    }

    private static boolean chattr(String flag, Path file) {
        try {
            Process p = new ProcessBuilder("chattr", flag, file.toString())
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
