package dev.eider.table;

import java.nio.charset.StandardCharsets;

/**
 * What a string primary key may hold: what one URL path segment can name, so that every record
 * written can also be read, replaced and deleted by its key ({@code /v1/tables/{t}/records/{key}}).
 */
public final class StringKeys {

    /** As long as an S3 object key; percent-encoded, still well inside a request line. */
    public static final int MAX_BYTES = 1024;

    private StringKeys() {}

    /** Why {@code key} cannot be a key, in words that complete "primary key 'k' ..."; null when it can. */
    public static String whyNot(String key) {
        if (key.isEmpty()) {
            return "must not be empty";
        }
        if (key.equals(".") || key.equals("..")) {
            return "cannot be '" + key + "': no URL path can name it";
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c)) {
                return "must not hold control characters (found U+" + String.format("%04X", (int) c) + ")";
            }
        }
        if (key.length() > MAX_BYTES / 3 && key.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "must be at most " + MAX_BYTES + " bytes in UTF-8";
        }
        return null;
    }
}
