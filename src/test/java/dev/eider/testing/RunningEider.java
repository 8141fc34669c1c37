package dev.eider.testing;

import dev.eider.Eider;
import dev.eider.config.EiderConfig;
import java.nio.file.Path;
import java.util.Map;

/** An in-process Eider on a random port, with its files under a test's temp dir. */
public final class RunningEider implements AutoCloseable {

    private final Eider eider;

    private RunningEider(Eider eider) {
        this.eider = eider;
    }

    /** Starts Eider with {@link TestConfig#in(Path, String, Map)}. */
    public static RunningEider start(Path dir, String yaml, Map<String, String> flags) {
        return start(TestConfig.in(dir, yaml, flags));
    }

    public static RunningEider start(Path dir) {
        return start(TestConfig.in(dir));
    }

    public static RunningEider start(EiderConfig config) {
        try {
            return new RunningEider(Eider.start(config));
        } catch (Exception e) {
            throw new IllegalStateException("Eider did not start: " + e.getMessage(), e);
        }
    }

    public Eider eider() {
        return eider;
    }

    public int port() {
        return eider.port();
    }

    /** A new client for this service. */
    public Http http() {
        return new Http(port());
    }

    @Override
    public void close() {
        try {
            eider.close();
        } catch (Exception e) {
            throw new IllegalStateException("Eider did not stop cleanly", e);
        }
    }
}
