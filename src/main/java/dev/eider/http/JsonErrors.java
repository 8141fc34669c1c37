package dev.eider.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.eider.table.Excerpt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the JSON parser's errors into plain sentences: where the body stops being JSON and why, or
 * which of Eider's settings a body exceeds. The parser's own wording names its internals (feature
 * flags, constraint classes, a redacted source), which mean nothing to a client.
 */
final class JsonErrors {

    private static final Pattern NON_STANDARD = Pattern.compile("Non-standard token '([^']*)'.*", Pattern.DOTALL);
    private static final Pattern UNRECOGNIZED =
            Pattern.compile("Unrecognized token '(.*)': was expecting.*", Pattern.DOTALL);
    private static final Pattern END_OF_INPUT =
            Pattern.compile("Unexpected end-of-input.*close marker for (Object|Array).*", Pattern.DOTALL);
    private static final Pattern ESCAPE =
            Pattern.compile("Unrecognized character escape (.*) \\(code \\d+\\).*", Pattern.DOTALL);
    private static final Pattern CONTROL_IN_STRING =
            Pattern.compile("Illegal unquoted character \\(\\(CTRL-CHAR, code (\\d+)\\)\\).*", Pattern.DOTALL);
    private static final Pattern CONTROL_BETWEEN =
            Pattern.compile("Illegal character \\(\\(CTRL-CHAR, code (\\d+)\\)\\).*", Pattern.DOTALL);
    private static final Pattern UNEXPECTED =
            Pattern.compile("Unexpected character \\(('.*?') \\(code [^)]*\\)\\)(.*)", Pattern.DOTALL);
    private static final Pattern CLOSE_MARKER = Pattern.compile("Unexpected close marker ('.')(.*)", Pattern.DOTALL);
    private static final int MAX_REASON = 160;

    private JsonErrors() {}

    /** A body that is not JSON: 400 with the line and column where the parser stopped. */
    static Problem malformed(JsonProcessingException e) {
        JsonLocation where = e.getLocation();
        Long line = where == null || where.getLineNr() < 0 ? null : (long) where.getLineNr();
        Long column = where == null || where.getColumnNr() < 0 ? null : (long) where.getColumnNr();
        String at = line == null ? "" : " at line " + line + ", column " + column;
        return Problem.of(400, "Malformed JSON", "the body is not valid JSON" + at + ": " + reason(e))
                .at(null, line, column);
    }

    /** Whether the parser stopped on bytes that are not UTF-8, rather than on JSON syntax. */
    static boolean isInvalidUtf8(JsonProcessingException e) {
        return String.valueOf(e.getOriginalMessage()).startsWith("Invalid UTF-8");
    }

    /** A body over one of the parser's limits, each of which is one of Eider's settings or a fixed bound. */
    static Problem overLimit(StreamConstraintsException e, StreamReadConstraints limits) {
        String m = String.valueOf(e.getOriginalMessage());
        if (m.startsWith("Document nesting depth")) {
            return Problem.of(
                    400,
                    "Nested too deeply",
                    "the JSON is nested deeper than " + limits.getMaxNestingDepth()
                            + " levels, the limit set by server.max_depth");
        }
        if (m.startsWith("String value length")) {
            // The parser counts a number's text against this limit too while it reads it (and the number
            // limit only once the number ends), so a 30,000-digit number may land here or below, depending on
            // how its bytes arrived; the exception does not say which it was. Both answers are 422.
            return Problem.of(
                    422,
                    "Invalid record",
                    "a value in the body is longer than the limit of " + limits.getMaxStringLength()
                            + " bytes for a string (setting server.max_value; a number may have at most "
                            + limits.getMaxNumberLength() + " characters)");
        }
        if (m.startsWith("Number value length")) {
            // Valid JSON (which sets no limit on a number's length) that Eider does not take: 422, not 400.
            return Problem.of(
                    422,
                    "Invalid record",
                    "a number in the body is too long: a number may have at most " + limits.getMaxNumberLength()
                            + " characters");
        }
        if (m.startsWith("Name length")) {
            return Problem.of(
                    400,
                    "Malformed JSON",
                    "a field name in the body is longer than " + limits.getMaxNameLength() + " characters");
        }
        return Problem.of(400, "Malformed JSON", "the body is larger or more complex than JSON bodies may be");
    }

    /** The parser's reason without its internals, cut to a sentence's length. */
    static String reason(JsonProcessingException e) {
        String m = String.valueOf(e.getOriginalMessage());
        Matcher nonStandard = NON_STANDARD.matcher(m);
        if (nonStandard.matches()) {
            return Excerpt.quoted(nonStandard.group(1)) + " is not a JSON value (JSON has no NaN or Infinity)";
        }
        String plain = plainWords(m);
        if (plain != null) {
            return plain;
        }
        m = cut(m, " (start marker at");
        m = cut(m, ": enable `");
        m = cut(m, "\n");
        m = m.replace("VALUE_STRING", "a string").replace("VALUE_NUMBER_INT", "a number");
        if (m.contains("`") || m.contains("[Source")) {
            return "unexpected content";
        }
        return m.length() <= MAX_REASON ? m : m.substring(0, MAX_REASON) + "…";
    }

    /** The parser's commonest complaints in words a client can act on; null for any other. */
    private static String plainWords(String m) {
        Matcher x = UNRECOGNIZED.matcher(m);
        if (x.matches()) {
            return Excerpt.quoted(x.group(1)) + " is not a JSON value (strings are quoted; true, false and null are"
                    + " lower case)";
        }
        if ((x = END_OF_INPUT.matcher(m)).matches()) {
            return "the body ends before the "
                    + (x.group(1).equals("Object") ? "object's closing }" : "array's closing ]");
        }
        if ((x = ESCAPE.matcher(m)).matches()) {
            return "\\" + x.group(1).replace("'", "")
                    + " is not a JSON escape (JSON has \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t"
                    + " and \\u with four hex digits)";
        }
        if ((x = CONTROL_IN_STRING.matcher(m)).matches()) {
            return "a string holds control character " + x.group(1) + " unescaped; write it as \\u"
                    + String.format("%04x", Integer.parseInt(x.group(1)));
        }
        if ((x = CONTROL_BETWEEN.matcher(m)).matches()) {
            return "control character " + x.group(1) + " between values, where only spaces, tabs and line breaks may"
                    + " stand"
                    + (x.group(1).equals("31") ? " (a gzip-compressed body starts so: send it uncompressed)" : "");
        }
        if ((x = UNEXPECTED.matcher(m)).matches()) {
            return "unexpected " + x.group(1) + why(x.group(2));
        }
        if ((x = CLOSE_MARKER.matcher(m)).matches()) {
            return x.group(1) + " closes nothing: there are more closing brackets than opening ones";
        }
        if (m.startsWith("Invalid numeric value: Leading zeroes")) {
            return "a number starts with a zero (JSON writes 1, not 01)";
        }
        return null;
    }

    /** What the parser expected instead of an unexpected character, when it says so in words a client knows. */
    private static String why(String rest) {
        if (rest.contains("comment")) {
            return ": JSON has no comments";
        }
        if (rest.contains("to follow minus sign")) {
            return ": a minus sign must be followed by a digit";
        }
        if (rest.contains("hex-digit")) {
            return ": a \\u escape takes four hex digits";
        }
        int expecting = rest.indexOf("was expecting ");
        if (expecting < 0) {
            return "";
        }
        String expected = cut(cut(rest.substring(expecting + "was expecting ".length()), " (start marker at"), "\n")
                .replace("'", "")
                .trim();
        return expected.isEmpty() || expected.contains("`") ? "" : ", expected " + Excerpt.of(expected);
    }

    private static String cut(String m, String marker) {
        int i = m.indexOf(marker);
        return i < 0 ? m : m.substring(0, i);
    }
}
