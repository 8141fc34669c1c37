package dev.eider.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eider.table.Excerpt;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Typed reads from the merged settings tree; every failure names the setting it is about. */
final class Settings {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private final JsonNode root;

    Settings(JsonNode root) {
        this.root = root;
    }

    JsonNode at(String dotted) {
        JsonNode node = root;
        for (String part : dotted.split("\\.")) {
            node = node.path(part);
        }
        return node;
    }

    String text(String setting, String fallback) {
        JsonNode n = at(setting);
        if (n.isContainerNode()) {
            // A secret's setting does not quote what was written.
            String written = setting.contains("password") ? "" : "'" + Excerpt.of(n.toString()) + "' ";
            throw new ConfigException(
                    setting + ": " + written + "is invalid: expected a single value, not a list or map");
        }
        return n.isMissingNode() || n.isNull() ? fallback : n.asText();
    }

    /** An http:// or https:// URL with a host, or null when not set. */
    String httpUrl(String setting) {
        String v = text(setting, null);
        if (v == null) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(v);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null
                || uri.getHost() == null
                || uri.getPort() > 65_535
                || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw new ConfigException(setting + ": '" + Excerpt.of(v)
                    + "' is not an http:// or https:// URL with a host, such as http://127.0.0.1:9000");
        }
        return v;
    }

    String oneOf(String setting, String fallback, Set<String> allowed) {
        String v = text(setting, fallback);
        if (!allowed.contains(v)) {
            throw new ConfigException(setting + ": '" + v + "' is not one of " + allowed);
        }
        return v;
    }

    boolean bool(String setting, boolean fallback) {
        return parse(setting, at(setting), Settings::parseBoolean, fallback);
    }

    int integer(String setting, int fallback, int min, int max) {
        int v = parse(setting, at(setting), Integer::parseInt, fallback);
        if (v < min || v > max) {
            throw new ConfigException(setting + ": " + v + " is outside " + min + ".." + max);
        }
        return v;
    }

    DataSize size(String setting, DataSize fallback) {
        return parse(setting, at(setting), DataSize::parse, fallback);
    }

    Duration duration(String setting, Duration fallback) {
        return parse(setting, at(setting), Settings::parseDuration, fallback);
    }

    static <T> T parse(String setting, JsonNode node, Function<String, T> parser, T fallback) {
        if (node.isMissingNode() || node.isNull()) {
            return fallback;
        }
        // A list or map has no text of its own: quote what was written instead of ''.
        String written = node.isValueNode() ? node.asText() : node.toString();
        try {
            if (!node.isValueNode()) {
                throw new IllegalArgumentException("expected a single value, not a list or map");
            }
            return parser.apply(written.trim());
        } catch (NumberFormatException e) {
            // Its own message is Java's ("For input string: ..."), not a sentence for an operator.
            throw new ConfigException(setting + ": '" + written + "' is not a whole number");
        } catch (RuntimeException e) {
            throw new ConfigException(setting + ": '" + written + "' is invalid: " + e.getMessage());
        }
    }

    static boolean parseBoolean(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    /** Parses {@code 90s}, {@code 15m}, {@code 1h}, {@code 1d} or an ISO-8601 duration. */
    static Duration parseDuration(String s) {
        if (s.startsWith("P") || s.startsWith("p")) {
            // ISO-8601 takes zero and negative durations: held to the same rule as 30s (PT0S ran exports non-stop).
            return positive(Duration.parse(s));
        }
        Matcher m = DURATION.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a duration such as 30s, 15m, 1h or 1d");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        return positive(d);
    }

    private static Duration positive(Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("must be longer than zero");
        }
        return d;
    }

    static void allowOnly(JsonNode node, String where, Set<String> allowed) {
        if (node.isMissingNode()) {
            return;
        }
        if (!node.isObject()) {
            throw new ConfigException((where.isEmpty() ? "configuration" : where) + ": must be a mapping");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new ConfigException(
                        (where.isEmpty() ? "" : where + ".") + f + ": unknown setting; allowed here: " + allowed);
            }
        }
    }
}
