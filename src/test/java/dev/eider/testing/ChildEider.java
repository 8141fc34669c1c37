package dev.eider.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged service ({@code target/eider.jar}) running in a child JVM, so that crash tests can
 * kill it for real ({@code kill -9}: {@link Process#destroyForcibly()}).
 */
public final class ChildEider implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private ChildEider(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts {@code eider <command> <args>} in {@code dir} with extra environment variables and waits
     * until {@code /health/ready} answers (for {@code serve}).
     */
    public static ChildEider serve(Path dir, Map<String, String> env, String... args) {
        return serve(jar(), dir, env, List.of("-Xmx256m"), args);
    }

    /** Like {@link #serve(Path, Map, String...)}, on a JVM started with {@code jvmOptions}. */
    public static ChildEider serve(Path dir, Map<String, String> env, List<String> jvmOptions, String... args) {
        return serve(jar(), dir, env, jvmOptions, args);
    }

    /** Like {@link #serve(Path, Map, String...)} with another copy of the jar. */
    public static ChildEider serve(Path jar, Path dir, Map<String, String> env, String... args) {
        return serve(jar, dir, env, List.of("-Xmx256m"), args);
    }

    private static ChildEider serve(
            Path jar, Path dir, Map<String, String> env, List<String> jvmOptions, String... args) {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(javaBin()));
        command.addAll(jvmOptions);
        command.addAll(List.of(tmpDir(dir), "-jar", jar.toString(), "serve", "--port", Integer.toString(port)));
        command.addAll(List.of(args));
        ChildEider child = start(dir, env, command, port);
        child.awaitReady(Duration.ofSeconds(180));
        return child;
    }

    /** Runs another command ({@code export}, {@code restore}) to completion and returns its exit code. */
    public static int run(Path dir, Map<String, String> env, Duration timeout, String... args) {
        return runForOutput(dir, env, timeout, args).exitCode();
    }

    /** How a command ended: its exit code and everything it printed. */
    public record Finished(int exitCode, String output) {}

    /** Runs a command to completion and returns its exit code and output (stdout and stderr together). */
    public static Finished runForOutput(Path dir, Map<String, String> env, Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx256m", tmpDir(dir), "-jar", jar().toString()));
        command.addAll(List.of(args));
        ChildEider child = start(dir, env, command, -1);
        try {
            if (!child.process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                child.kill();
                throw new AssertionError(
                        "eider " + String.join(" ", args) + " did not finish in " + timeout + "; log:\n" + child.log());
            }
            return new Finished(child.process.exitValue(), child.log());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static ChildEider start(Path dir, Map<String, String> env, List<String> command, int port) {
        try {
            Path log = Files.createTempFile(dir, "eider-child-", ".log");
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().putAll(env);
            return new ChildEider(pb.start(), port, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    public Http http() {
        return new Http(port);
    }

    /** Kills the process without warning, as a crash or {@code kill -9} would. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Http http = http();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError(
                        "eider exited with " + process.exitValue() + " before it was ready; log:\n" + log());
            }
            try {
                if (http.get("/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // Not listening yet.
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        kill();
        throw new AssertionError("eider was not ready within " + timeout + "; log:\n" + log());
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The JVM options the {@code ./eider} launcher runs the service with (its default
     * {@code EIDER_JAVA_OPTS}), read from the script so that tests follow it.
     */
    public static List<String> launcherJvmOptions() {
        try {
            String script = Files.readString(Path.of("eider"));
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("EIDER_JAVA_OPTS:-([^}]*)}").matcher(script);
            if (!m.find()) {
                throw new IllegalStateException("the launcher ./eider no longer sets default EIDER_JAVA_OPTS");
            }
            return List.of(m.group(1).trim().split("\\s+"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("eider.jar", "target/eider.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar + " is missing: run the tests with ./mvnw verify (the jar is built in package)");
        }
        return jar;
    }

    /**
     * The child's temporary folder inside the test's: whatever a child killed with {@code kill -9}
     * leaves there goes with the test's folder, and a test can see what landed there.
     */
    private static String tmpDir(Path dir) {
        try {
            return "-Djava.io.tmpdir="
                    + Files.createDirectories(dir.resolve(".tmp")).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
