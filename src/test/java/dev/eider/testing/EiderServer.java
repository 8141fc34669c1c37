package dev.eider.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension that runs a fresh in-process Eider for every test, in a temp dir of its own:
 * {@code @RegisterExtension final EiderServer eider = EiderServer.with(yaml, flags);}
 */
public final class EiderServer implements BeforeEachCallback, AfterEachCallback {

    private final String yaml;
    private final Map<String, String> flags;
    private Path dir;
    private RunningEider running;

    private EiderServer(String yaml, Map<String, String> flags) {
        this.yaml = yaml;
        this.flags = Map.copyOf(flags);
    }

    public static EiderServer withDefaults() {
        return with("", Map.of());
    }

    /** A server configured by {@code yaml} and dotted {@code flags} (see {@link TestConfig}). */
    public static EiderServer with(String yaml, Map<String, String> flags) {
        return new EiderServer(yaml, flags);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("eider-it-");
        running = RunningEider.start(dir, yaml, flags);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (running != null) {
            running.close();
        }
        deleteRecursively(dir);
    }

    public Http http() {
        return running.http();
    }

    public Path dir() {
        return dir;
    }

    /** Stops the service and starts it again on the same files. */
    public void restart() {
        running.close();
        running = null;
        running = RunningEider.start(dir, yaml, flags);
    }

    /** Stops the service and starts it again on the same files, with {@code changed} flags over the others. */
    public void restart(Map<String, String> changed) {
        running.close();
        running = null;
        Map<String, String> merged = new java.util.HashMap<>(flags);
        merged.putAll(changed);
        running = RunningEider.start(dir, yaml, merged);
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
