package dev.eider;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Log events carry their fields as SLF4J key-value pairs ({@code addKeyValue}), so that
 * {@code --log-format json} gives each its own JSON field; a {@code key={}} pattern in a message
 * would reach the JSON log as text inside {@code message}.
 */
class LogStyleTest {

    /** A string literal holding {@code name=} followed by a placeholder, a quote or a word: logfmt by hand. */
    private static final Pattern LOGFMT = Pattern.compile("\"[^\"\\n]*\\b[a-z_]+=(\\{}|\\\\\"|[a-z])[^\"\\n]*\"");

    @Test
    void mainSources_logWithKeyValuesNotLogfmtMessages() throws IOException {
        List<String> offenders;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            offenders = files.filter(f -> f.toString().endsWith(".java"))
                    .flatMap(LogStyleTest::logfmtLines)
                    .toList();
        }

        assertThat(offenders).isEmpty();
    }

    private static Stream<String> logfmtLines(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return java.util.stream.IntStream.range(0, lines.size())
                    .filter(i -> lines.get(i).contains("\"event=")
                            || (LOGFMT.matcher(lines.get(i)).find()
                                    && lines.get(i).contains("log.")))
                    .mapToObj(i -> file + ":" + (i + 1) + ": " + lines.get(i).strip());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
