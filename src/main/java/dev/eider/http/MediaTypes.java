package dev.eider.http;

import java.util.regex.Pattern;

/** Whether a {@code Content-Type} is a media type as RFC 9110 (section 8.3.1) writes one: what a file is stored with. */
final class MediaTypes {

    /** Longer than any registered type with a charset; a file's type is stored and sent back with every read. */
    static final int MAX_LENGTH = 255;

    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    private static final String QUOTED = "\"(?:[^\"\\\\\\p{Cntrl}]|\\\\[^\\p{Cntrl}])*\"";
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            TOKEN + "/" + TOKEN + "(?:[ \\t]*;[ \\t]*" + TOKEN + "=(?:" + TOKEN + "|" + QUOTED + "))*[ \\t]*");

    private MediaTypes() {}

    static boolean wellFormed(String value) {
        return value.length() <= MAX_LENGTH && MEDIA_TYPE.matcher(value).matches();
    }
}
