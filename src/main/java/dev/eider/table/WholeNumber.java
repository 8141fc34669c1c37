package dev.eider.table;

/**
 * Whole numbers written in a URL (a path key, an export id, {@code limit}, {@code after}) as a number is written:
 * ASCII digits after an optional minus, no leading zero, nothing else. {@link Long#parseLong} also reads every other script's digits ("１" as 1), so a
 * request could name record 1 in a way no client means to (a new-user trial deleted it with {@code %EF%BC%91}).
 */
public final class WholeNumber {

    private WholeNumber() {}

    /** @throws NumberFormatException unless {@code text} is an int64 written so */
    public static long parseLong(String text) {
        requireAscii(text);
        return Long.parseLong(text);
    }

    /** @throws NumberFormatException unless {@code text} is an int32 written so */
    public static int parseInt(String text) {
        requireAscii(text);
        return Integer.parseInt(text);
    }

    private static void requireAscii(String text) {
        // As the number would be written: no plus sign, no leading zero ("01", "+1", "-0" name no record).
        int digits = text.startsWith("-") ? 1 : 0;
        boolean canonical = text.length() > digits
                && (text.charAt(digits) != '0' || text.length() == 1)
                && text.chars().skip(digits).allMatch(c -> c >= '0' && c <= '9');
        if (!canonical) {
            throw new NumberFormatException("not a whole number in ASCII digits as written");
        }
    }
}
