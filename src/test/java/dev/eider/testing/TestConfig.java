package dev.eider.testing;

import dev.eider.config.ConfigLoader;
import dev.eider.config.EiderConfig;
import dev.eider.config.StoreConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Builds configurations for tests: a data file and export folder under a temp dir, a random port. */
public final class TestConfig {

    private TestConfig() {}

    /**
     * A configuration rooted in {@code dir}.
     *
     * @param yaml extra YAML (tables, tokens, export settings), or "" for none
     * @param flags dotted settings that override everything, e.g. {@code server.port}
     */
    public static EiderConfig in(Path dir, String yaml, Map<String, String> flags) {
        try {
            Path file = Files.createDirectories(dir).resolve("eider.yaml");
            Files.writeString(file, yaml);
            Map<String, String> all = new HashMap<>();
            all.put("server.port", "0");
            all.put("storage.path", dir.resolve("data.db").toString());
            all.put("export.target", "file:" + dir.resolve("exports"));
            all.put("storage.memory_limit", "128MB");
            if (EmbeddedPg.selected()) {
                all.put("storage.database", EmbeddedPg.freshDatabase());
            }
            all.putAll(flags);
            return ConfigLoader.load(file, Map.of(), all);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The DuckDB settings of a configuration built here. */
    public static StoreConfig.DuckDb duckDb(EiderConfig config) {
        return (StoreConfig.DuckDb) config.store();
    }

    public static EiderConfig in(Path dir) {
        return in(dir, "", Map.of());
    }
}
