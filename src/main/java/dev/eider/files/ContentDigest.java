package dev.eider.files;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;

/**
 * The {@code Content-Digest} request header (RFC 9530): {@code sha-256=:<base64>:}, possibly among
 * other algorithms. Only sha-256 is checked; a header that names no algorithm Eider knows is
 * refused rather than silently ignored.
 */
final class ContentDigest {

    private ContentDigest() {}

    /** Checks the header (null: nothing to check) against the digest of what arrived. */
    static void verify(String header, byte[] actual) {
        if (header == null || header.isBlank()) {
            return;
        }
        byte[] expected = null;
        for (String member : header.split(",")) {
            String m = member.trim();
            int eq = m.indexOf('=');
            if (eq > 0 && m.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("sha-256")) {
                expected = decode(m.substring(eq + 1).trim());
            }
        }
        if (expected == null) {
            throw new FileProblem(
                    FileProblem.Reason.BAD_REQUEST,
                    "Content-Digest names no sha-256 digest; send Content-Digest: sha-256=:<base64 of the SHA-256>:");
        }
        if (!MessageDigest.isEqual(expected, actual)) {
            throw new FileProblem(
                    FileProblem.Reason.BAD_REQUEST,
                    "the body's SHA-256 is :" + Base64.getEncoder().encodeToString(actual)
                            + ": but Content-Digest says :"
                            + Base64.getEncoder().encodeToString(expected)
                            + ":; nothing was stored");
        }
    }

    private static byte[] decode(String value) {
        if (value.length() < 2 || !value.startsWith(":") || !value.endsWith(":")) {
            throw new FileProblem(
                    FileProblem.Reason.BAD_REQUEST,
                    "Content-Digest's sha-256 must be a byte sequence such as sha-256=:<base64>:");
        }
        try {
            return Base64.getDecoder().decode(value.substring(1, value.length() - 1));
        } catch (IllegalArgumentException e) {
            throw new FileProblem(FileProblem.Reason.BAD_REQUEST, "Content-Digest's sha-256 is not valid base64");
        }
    }
}
