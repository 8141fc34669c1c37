package dev.eider.http;

import java.util.regex.Pattern;

/** Whether a {@code Content-Type} is a media type as RFC 9110 (section 8.3.1) writes one: what a file is stored with. */
final class MediaTypes {

    /** Longer than any registered type with a charset; a file's type is stored and sent back with every read. */
    static final int MAX_LENGTH = 255;

    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    /** A quoted string of visible ASCII, spaces and tabs: it is sent back in a header. */
    private static final String QUOTED = "\"(?:[\\t\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]|\\\\[\\t\\x20-\\x7E])*\"";
    /** RFC 9110 allows an empty parameter ({@code text/plain;}). */
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            TOKEN + "/" + TOKEN + "(?:[ \\t]*;[ \\t]*(?:" + TOKEN + "=(?:" + TOKEN + "|" + QUOTED + "))?)*[ \\t]*");

    private static final Pattern WILDCARD = Pattern.compile("(?:\\*/|[^/]*/\\*(?:[ \\t;]|$))");

    private MediaTypes() {}

    /** A media type, and one of a content: not a range such as {@code image/*}, which a request may accept. */
    static boolean wellFormed(String value) {
        return value.length() <= MAX_LENGTH
                && MEDIA_TYPE.matcher(value).matches()
                && !WILDCARD.matcher(value).lookingAt();
    }
}
