package dev.eider.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators of HTTP requests for {@link HttpFuzzIT}: methods, paths built from the API's
 * templates with odd tables, ids and encodings, query strings, content types, and bodies from valid
 * records to broken, deep, huge-numbered or oddly encoded JSON and NDJSON.
 */
final class FuzzRequests {

    private FuzzRequests() {}

    /** One request as sent on the wire. */
    record Request(String method, String target, Map<String, String> headers, byte[] body) {

        boolean writes() {
            return !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
        }

        @Override
        public String toString() {
            String text = body == null ? "(none)" : new String(body, StandardCharsets.UTF_8);
            return method + " " + target + " " + headers + " body="
                    + (text.length() > 300 ? text.substring(0, 300) + "...(" + body.length + " bytes)" : text);
        }
    }

    static Arbitrary<Request> requests() {
        return Combinators.combine(methods(), targets(), headers(), bodies())
                .as((m, t, h, b) -> new Request(m, t, h, b));
    }

    /** Writes of one well-keyed record of {@code things} whose other fields take odd values. */
    static Arbitrary<Request> typedWrites() {
        Arbitrary<String> fields = Combinators.combine(Arbitraries.of("name", "amount", "at", "doc", "extra"), value())
                .as((k, v) -> quote(k) + ":" + v)
                .list()
                .ofMinSize(1)
                .ofMaxSize(4)
                .map(l -> String.join(",", l));
        return Combinators.combine(Arbitraries.integers().between(0, 20), fields, headers())
                .as((id, f, h) -> new Request(
                        "POST",
                        "/v1/tables/things/records",
                        h,
                        ("{\"id\":\"k" + id + "\"," + f + "}").getBytes(StandardCharsets.UTF_8)));
    }

    static Arbitrary<String> methods() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of("POST")),
                net.jqwik.api.Tuple.of(3, Arbitraries.of("GET", "PUT", "DELETE")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("PATCH", "OPTIONS", "HEAD", "TRACE", "FOO")));
    }

    static Arbitrary<String> targets() {
        Arbitrary<String> path = Arbitraries.oneOf(
                Arbitraries.just("/record"),
                tables().map(t -> "/v1/tables/" + t + "/records"),
                Combinators.combine(tables(), ids()).as((t, id) -> "/v1/tables/" + t + "/records/" + id),
                tables().map(t -> "/v1/tables/" + t),
                Arbitraries.of("/v1/tables", "/v1/exports", "/health/ready", "/health/live", "/", "//record"),
                ids().map(id -> "/v1/exports/" + id),
                segments().list().ofMaxSize(5).map(s -> "/" + String.join("/", s)));
        return Combinators.combine(path, queries()).as((p, q) -> p + q);
    }

    static Arbitrary<String> tables() {
        return Arbitraries.oneOf(
                Arbitraries.of("records", "things", "nope", "rec%6Frds", "records%2Fx", "%2e%2e", "%ZZ", "%C3%A4"),
                segments());
    }

    static Arbitrary<String> ids() {
        return Arbitraries.oneOf(
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.integers().between(-3, 50).map(String::valueOf),
                Arbitraries.of(
                        "9223372036854775808",
                        "-9223372036854775809",
                        "1.5",
                        "1e3",
                        "abc",
                        "%2F",
                        "%00",
                        "%201",
                        "%",
                        "%E2%82",
                        "0x10",
                        "+5",
                        "%F0%9F%A6%86"),
                segments());
    }

    /** A path segment of printable ASCII, percent-encoding whatever a request line cannot hold. */
    static Arbitrary<String> segments() {
        return Arbitraries.strings()
                .withCharRange(' ', '~')
                .withChars('é', '\u0000', '\uD800')
                .ofMaxLength(12)
                .map(FuzzRequests::encodeSegment);
    }

    static String encodeSegment(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (x & 0xff);
            if (c > ' ' && c < 0x7f && c != '/' && c != '?' && c != '#' && c != '%') {
                b.append(c);
            } else {
                b.append('%').append(String.format("%02X", x & 0xff));
            }
        }
        return b.toString();
    }

    static Arbitrary<String> queries() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.just("")),
                net.jqwik.api.Tuple.of(2, ids().map(id -> "?after=" + id)),
                net.jqwik.api.Tuple.of(
                        2,
                        Arbitraries.of("1", "0", "1000", "1001", "-1", "x", "99999999999", "%")
                                .map(n -> "?limit=" + n)),
                net.jqwik.api.Tuple.of(
                        1, Arbitraries.of("?%", "?a=%", "?&&=", "?limit=1&limit=2", "?after", "?=x", "?a=%ZZ")));
    }

    static Arbitrary<Map<String, String>> headers() {
        Arbitrary<String> type = Arbitraries.of(
                "application/json",
                "application/x-ndjson",
                "application/jsonl",
                "application/problem+json",
                "application/json; charset=utf-16",
                "application/x-www-form-urlencoded",
                "text/plain",
                "multipart/form-data; boundary=x",
                ";;",
                "",
                "application/json\u00e9");
        Arbitrary<Map<String, String>> extra = Arbitraries.of(
                Map.of(),
                Map.of("Content-Encoding", "gzip"),
                Map.of("Accept", "application/xml"),
                Map.of("Authorization", "Bearer not-a-token"),
                Map.of("Expect", "100-continue"));
        return Combinators.combine(type.injectNull(0.1), extra).as((t, e) -> {
            Map<String, String> h = new LinkedHashMap<>(e);
            if (t != null) {
                h.put("Content-Type", t);
            }
            return h;
        });
    }

    static Arbitrary<byte[]> bodies() {
        Arbitrary<String> text = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, record()),
                net.jqwik.api.Tuple.of(2, record().list().ofMaxSize(5).map(l -> "[" + String.join(",", l) + "]")),
                net.jqwik.api.Tuple.of(
                        2,
                        Arbitraries.oneOf(record(), json(), Arbitraries.of("", "{", "nul", "\u00ff"))
                                .list()
                                .ofMaxSize(5)
                                .map(l -> String.join("\n", l))),
                net.jqwik.api.Tuple.of(2, json()),
                net.jqwik.api.Tuple.of(1, deep()),
                net.jqwik.api.Tuple.of(1, record().flatMap(FuzzRequests::truncated)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("", " ", "null", "[]", "{}", "[{}]", "\"x\"", "1 2")));
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(12, text.map(s -> s.getBytes(StandardCharsets.UTF_8))),
                        net.jqwik.api.Tuple.of(1, bytes))
                .injectNull(0.05);
    }

    /** An object shaped like a record of {@code records} or {@code things}, with odd values. */
    static Arbitrary<String> record() {
        Arbitrary<String> field = Arbitraries.of("id", "value", "name", "amount", "at", "doc", "extra", "", "Id");
        return Combinators.combine(field, value())
                .as((k, v) -> quote(k) + ":" + v)
                .list()
                .ofMaxSize(5)
                .map(fields -> "{" + String.join(",", fields) + "}");
    }

    static Arbitrary<String> value() {
        return Arbitraries.oneOf(
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                numbers(),
                strings(),
                Arbitraries.of("null", "true", "false", "[]", "{}", "\"2024-05-01T12:00:00Z\"", "\"10000-01-01\""));
    }

    static Arbitrary<String> numbers() {
        return Arbitraries.of(
                "1e999999999",
                "1e99999",
                "-1e400",
                "1E-400",
                "-0",
                "0.1e-2147483648",
                "1" + "0".repeat(400),
                "123456789012345678901234567890.123456789",
                "9223372036854775808",
                "1.0",
                "01",
                "NaN",
                "Infinity",
                ".5");
    }

    static Arbitrary<String> strings() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(20).map(FuzzRequests::quote),
                Arbitraries.of(
                        "\"\\ud800\"",
                        "\"\\udc00x\"",
                        "\"\\u0000\"",
                        "\"\u202e\u200d\ud83e\udd86\"",
                        "\"\\x41\"",
                        "\"" + "a".repeat(70_000) + "\""));
    }

    /** Any JSON value, up to a few levels deep. */
    static Arbitrary<String> json() {
        return Arbitraries.recursive(
                FuzzRequests::value,
                inner -> Arbitraries.oneOf(
                        inner.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]"),
                        Combinators.combine(strings(), inner)
                                .as((k, v) -> k + ":" + v)
                                .list()
                                .ofMaxSize(4)
                                .map(l -> "{" + String.join(",", l) + "}")),
                0,
                4);
    }

    /** Nesting from shallow to far past any limit, at the top or inside a record's value. */
    static Arbitrary<String> deep() {
        return Arbitraries.integers()
                .between(1, 5000)
                .flatMap(n -> Arbitraries.of(
                        "[".repeat(n) + "]".repeat(n),
                        "{\"id\":1,\"value\":" + "{\"a\":".repeat(n) + "1" + "}".repeat(n) + "}",
                        "{\"id\":1,\"doc\":" + "[".repeat(n) + "]".repeat(n) + "}"));
    }

    static Arbitrary<String> truncated(String s) {
        return Arbitraries.integers().between(0, Math.max(0, s.length() - 1)).map(i -> s.substring(0, i));
    }

    /** A JSON string literal; lone surrogates and control characters as escapes. */
    static String quote(String s) {
        return s.chars()
                .mapToObj(c -> c == '"' || c == '\\' || c < 0x20 || Character.isSurrogate((char) c)
                        ? String.format("\\u%04x", c)
                        : String.valueOf((char) c))
                .collect(Collectors.joining("", "\"", "\""));
    }
}
