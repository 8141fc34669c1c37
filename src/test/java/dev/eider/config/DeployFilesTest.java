package dev.eider.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped deployment files set Eider's memory smaller than its defaults; the limits they leave must fit
 * in it. (New-user trial: the systemd unit's 128MB of DuckDB memory with the default 128MB body took a
 * request it could never apply, and the service could not start again.)
 */
class DeployFilesTest {

    private static final Pattern SETTING = Pattern.compile("(EIDER_[A-Z_]+)=([^\\s\\\\\"]+)");

    @ParameterizedTest
    @ValueSource(strings = {"deploy/eider.service", "deploy/Dockerfile"})
    void deployFile_limitsFitTheMemoryItGivesDuckDb(String file) throws IOException {
        Map<String, String> environment = settings(Path.of(file));
        assertThat(environment).containsKey("EIDER_DUCKDB_MEMORY_LIMIT");

        EiderConfig config = ConfigLoader.load(null, environment, Map.of());

        assertThat(config.store().bodySizeRisk(config.server().maxBody())).isEmpty();
        assertThat(config.store().valueSizeRisk(config.server().maxValue())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"128MB", "256MB"})
    void defaults_bodyOverHalfOfDuckDbMemory_isARisk(String memoryLimit) {
        EiderConfig config = ConfigLoader.load(
                null, Map.of("EIDER_DUCKDB_MEMORY_LIMIT", memoryLimit, "EIDER_MAX_BODY", "200MB"), Map.of());

        assertThat(config.store().bodySizeRisk(config.server().maxBody()))
                .hasValueSatisfying(risk -> assertThat(risk).contains("server.max_body", "storage.memory_limit"));
    }

    private static Map<String, String> settings(Path file) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        Matcher m = SETTING.matcher(Files.readString(file));
        while (m.find()) {
            settings.put(m.group(1), m.group(2));
        }
        return settings;
    }
}
