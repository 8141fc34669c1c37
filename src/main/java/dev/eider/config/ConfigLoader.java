package dev.eider.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;

/**
 * Builds one {@link EiderConfig} from, in rising precedence, a YAML file, {@code EIDER_*}
 * environment variables and command-line flags.
 */
public final class ConfigLoader {

    /** Environment variables and the setting each one sets. */
    static final Map<String, String> ENVIRONMENT = Map.ofEntries(
            Map.entry("EIDER_HOST", "server.host"),
            Map.entry("EIDER_PORT", "server.port"),
            Map.entry("EIDER_ALLOW_UNAUTHENTICATED_REMOTE", "server.allow_unauthenticated_remote"),
            Map.entry("EIDER_MAX_BODY", "server.max_body"),
            Map.entry("EIDER_MAX_VALUE", "server.max_value"),
            Map.entry("EIDER_TOKENS", "server.tokens"),
            Map.entry("EIDER_DATA", "storage.path"),
            Map.entry("EIDER_DATABASE", "storage.database"),
            Map.entry("EIDER_DATABASE_USER", "storage.user"),
            Map.entry("EIDER_DATABASE_PASSWORD", "storage.password"),
            Map.entry("EIDER_ROLE", "role"),
            Map.entry("EIDER_DUCKDB_MEMORY_LIMIT", "storage.memory_limit"),
            Map.entry("EIDER_DUCKDB_THREADS", "storage.threads"),
            Map.entry("EIDER_APPLY_EVERY", "ingest.apply_every"),
            Map.entry("EIDER_EXPORT_TARGET", "export.target"),
            Map.entry("EIDER_EXPORT_EVERY", "export.every"),
            Map.entry("EIDER_FILES_TARGET", "files.target"),
            Map.entry("EIDER_S3_ENDPOINT", "export.s3.endpoint"),
            Map.entry("EIDER_S3_REGION", "export.s3.region"),
            Map.entry("EIDER_S3_PATH_STYLE", "export.s3.path_style"),
            Map.entry("EIDER_LOG_FORMAT", "log.format"));

    // A setting given twice is refused rather than the last one silently winning.
    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));

    private ConfigLoader() {}

    /**
     * Loads the configuration.
     *
     * @param file a YAML file, or null for none
     * @param environment the process environment (only {@code EIDER_*} names are read)
     * @param flags settings from the command line, by dotted name (e.g. {@code server.port})
     */
    public static EiderConfig load(Path file, Map<String, String> environment, Map<String, String> flags) {
        ObjectNode root = file == null ? YAML.createObjectNode() : readFile(file);
        Map<String, String> overrides = new LinkedHashMap<>();
        ENVIRONMENT.forEach((env, setting) -> {
            String v = environment.get(env);
            if (v != null && !v.isBlank()) {
                overrides.put(setting, v);
            }
        });
        overrides.putAll(flags);
        overrides.forEach((setting, value) -> put(root, setting, value));
        return new ConfigBinder(root).bind();
    }

    /** The file named by {@code EIDER_CONFIG}, or {@code eider.yaml} in the working directory if present. */
    public static Path defaultFile(Map<String, String> environment) {
        String named = environment.get("EIDER_CONFIG");
        if (named != null && !named.isBlank()) {
            return Path.of(named);
        }
        Path local = Path.of("eider.yaml");
        return Files.isRegularFile(local) ? local : null;
    }

    private static ObjectNode readFile(Path file) {
        try {
            String text = Files.readString(file);
            JsonNode node = YAML.readTree(text);
            refuseAliases(file, text);
            if (node == null || node.isMissingNode() || node.isNull()) {
                return YAML.createObjectNode();
            }
            if (!node.isObject()) {
                throw new ConfigException(file + ": the top level must be a mapping of settings");
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": " + yamlProblem(e));
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
        }
    }

    /**
     * The YAML reader takes an alias ({@code *name}) for the text "name" rather than the anchored value, so
     * a configuration using one would be read wrong: refused, saying where.
     */
    private static void refuseAliases(Path file, String text) {
        for (Event event : new Yaml().parse(new StringReader(text))) {
            if (event instanceof AliasEvent alias) {
                throw new ConfigException(
                        file + ": line " + (alias.getStartMark().getLine() + 1) + ": YAML aliases (" + "*"
                                + alias.getAnchor() + ") are not supported; write the value out");
            }
        }
    }

    /** The YAML parser's complaint in one line: where, and what it expected or found. */
    private static String yamlProblem(JsonProcessingException e) {
        String where = e.getLocation() == null
                ? ""
                : " at line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr();
        String original = String.valueOf(e.getOriginalMessage());
        if (original.startsWith("Duplicate field") && e.getProcessor() instanceof JsonParser p) {
            String setting = p.getParsingContext()
                    .pathAsPointer()
                    .toString()
                    .substring(1)
                    .replace('/', '.');
            return setting + ": given twice" + where;
        }
        // SnakeYAML's text spans lines: its sentences start a line, the indented ones quote the source.
        String sentences = original.lines()
                .filter(l -> !l.isEmpty() && !Character.isWhitespace(l.charAt(0)))
                .map(String::strip)
                .distinct()
                .reduce((a, b) -> a + "; " + b)
                .orElse("");
        return "not valid YAML" + where + (sentences.isEmpty() ? "" : " (" + sentences + ")");
    }

    private static void put(ObjectNode root, String dotted, String value) {
        String[] parts = dotted.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (!(child instanceof ObjectNode)) {
                child = node.putObject(parts[i]);
            }
            node = (ObjectNode) child;
        }
        node.set(parts[parts.length - 1], TextNode.valueOf(value));
    }
}
