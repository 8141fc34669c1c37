package dev.eider.table;

import java.math.BigDecimal;

/**
 * Converts the text of a JSON number (or of a numeric string) to an int64 or a decimal without
 * ever expanding it: the fit is decided from precision and scale, so {@code 1e999999999} costs no
 * more than its eleven characters. A value that would change is refused, never rounded.
 */
final class Numbers {

    /** Longer texts are refused before parsing; JSON number tokens are held to the same length by the parser. */
    static final int MAX_TEXT = 1000;

    private Numbers() {}

    /** Why a number does not fit, in words that complete "column 'c' is <type> and <number> ...". */
    static final class Misfit extends Exception {
        Misfit(String why) {
            super(why, null, false, false);
        }
    }

    /** The exact value of {@code text}, or null when it is not a number at all. */
    static BigDecimal parse(String text) throws Misfit {
        if (text.length() > MAX_TEXT) {
            throw new Misfit("has more than " + MAX_TEXT + " characters");
        }
        String trimmed = text.trim();
        if (!ascii(trimmed)) {
            // BigDecimal reads any Unicode digit ("\u0661\u0662" as 12): a number is written in ASCII.
            return null;
        }
        try {
            return new BigDecimal(trimmed);
        } catch (NumberFormatException e) {
            if (text.matches("\\s*[+-]?[0-9.]+[eE][+-]?[0-9]+\\s*")) {
                // Only an exponent beyond the range of an int gets here.
                throw new Misfit(text.matches(".*[eE]-.*") ? "would round to zero" : "has too many digits");
            }
            return null;
        }
    }

    private static boolean ascii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }

    static long int64(BigDecimal d) throws Misfit {
        BigDecimal exact = d.stripTrailingZeros();
        if (exact.scale() > 0) {
            throw new Misfit("has a fraction, which would round");
        }
        if ((long) exact.precision() - exact.scale() > 19) {
            throw new Misfit("is out of range");
        }
        try {
            return exact.longValueExact();
        } catch (ArithmeticException e) {
            throw new Misfit("is out of range");
        }
    }

    static BigDecimal decimal(BigDecimal d, ColumnType type) throws Misfit {
        BigDecimal exact = d.stripTrailingZeros();
        if (exact.scale() > type.scale()) {
            throw new Misfit("has more than " + type.scale() + " digits after the point, which would round");
        }
        int integerDigits = type.precision() - type.scale();
        if (exact.signum() != 0 && (long) exact.precision() - exact.scale() > integerDigits) {
            throw new Misfit("has too many digits: at most " + integerDigits + " before the point");
        }
        // From the stripped value: its scale is bounded by now, where the original might be 0E+999999999.
        return exact.setScale(type.scale());
    }
}
