package dev.eider.table;

/**
 * A piece of client input as an error message may quote it: at most {@value #MAX} characters, with
 * an ellipsis when cut, so that no answer grows with the input that caused it.
 */
public final class Excerpt {

    static final int MAX = 40;

    private Excerpt() {}

    /** {@code text} quoted in single quotes, cut to {@value #MAX} characters. */
    public static String quoted(String text) {
        return "'" + of(text) + "'";
    }

    /** {@code text} cut to {@value #MAX} characters, ending with an ellipsis when it was cut. */
    public static String of(String text) {
        return text == null ? "null" : of(text, MAX);
    }

    /** {@code text} cut to {@code max} characters, ending with an ellipsis when it was cut; null stays null. */
    public static String of(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = max;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }
}
