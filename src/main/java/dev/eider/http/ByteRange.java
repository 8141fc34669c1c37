package dev.eider.http;

/**
 * One byte range of an HTTP {@code Range} header (RFC 9110 §14): {@code bytes=a-b}, {@code bytes=a-}
 * or {@code bytes=-n}. Several ranges, or another unit, are answered with the whole file, as the
 * RFC allows.
 */
record ByteRange(long first, long last) {

    /** A range that starts past the end of the file: 416. */
    static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);

    /** The range the header asks for, null for the whole file, or {@link #UNSATISFIABLE}. */
    static ByteRange parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.contains(",")) {
            return null;
        }
        String spec = header.substring("bytes=".length()).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            if (a.isEmpty()) {
                long suffix = Long.parseLong(b);
                if (suffix <= 0 || size == 0) {
                    return UNSATISFIABLE;
                }
                return new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            if (first >= size) {
                return UNSATISFIABLE;
            }
            return first > last ? null : new ByteRange(first, last);
        } catch (NumberFormatException e) {
            return null; // an invalid Range is ignored (RFC 9110 §14.2)
        }
    }
}
