package dev.eider.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eider.testing.ChildEider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code curl} line of the README works as printed, run top to bottom with {@code /bin/sh}
 * against {@code target/eider.jar serve} started with default settings in an empty folder (only
 * the port differs). The {@code printf} lines that prepare a file for a later {@code curl} run too.
 */
class ReadmeExamplesIT {

    private static final Pattern SHELL_BLOCK = Pattern.compile("```(?:sh|bash|shell)\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void everyCurlLine_answers2xxOnAFreshStart() throws Exception {
        List<String> lines = runnableLines(Files.readString(Path.of("README.md")));
        assertThat(lines).as("curl lines in README.md").hasSizeGreaterThanOrEqualTo(10);

        List<String> failures = new ArrayList<>();
        try (ChildEider eider = ChildEider.serve(dir, Map.of())) {
            String base = "127.0.0.1:" + eider.port();
            for (String line : lines) {
                String command = line.replace("localhost:8000", base);
                if (command.startsWith("curl ")) {
                    command += " -sS -o /dev/null -w '%{http_code}'";
                }
                String status = sh(command);
                if (line.startsWith("curl ") && !status.matches("2\\d\\d")) {
                    failures.add(status + "  " + line);
                }
            }
        }

        assertThat(failures).as("README lines that fail as printed").isEmpty();
    }

    /** The {@code curl} and {@code printf} lines of the README's shell blocks, without trailing comments. */
    static List<String> runnableLines(String readme) {
        List<String> lines = new ArrayList<>();
        Matcher block = SHELL_BLOCK.matcher(readme);
        while (block.find()) {
            for (String line : block.group(1).split("\n")) {
                String code = line.split(" #", 2)[0].strip();
                if (code.startsWith("curl ") || code.startsWith("printf ")) {
                    lines.add(code);
                }
            }
        }
        return lines;
    }

    private String sh(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/bin/sh", "-c", command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timeout";
        }
        return out.strip();
    }
}
