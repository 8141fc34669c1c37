package dev.eider.table;

/**
 * Whole numbers written in a URL (a path key, an export id, {@code limit}, {@code after}): ASCII digits with an
 * optional sign, nothing else. {@link Long#parseLong} also reads every other script's digits ("１" as 1), so a
 * request could name record 1 in a way no client means to (a new-user trial deleted it with {@code %EF%BC%91}).
 */
public final class WholeNumber {

    private WholeNumber() {}

    /** @throws NumberFormatException unless {@code text} is an int64 in ASCII digits */
    public static long parseLong(String text) {
        requireAscii(text);
        return Long.parseLong(text);
    }

    /** @throws NumberFormatException unless {@code text} is an int32 in ASCII digits */
    public static int parseInt(String text) {
        requireAscii(text);
        return Integer.parseInt(text);
    }

    private static void requireAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || i == 0 && (c == '-' || c == '+'))) {
                throw new NumberFormatException("not a whole number in ASCII digits");
            }
        }
    }
}
