package dev.eider.table;

/**
 * A record does not fit its table. {@code pointer} is an RFC 6901 JSON pointer to the offending
 * field within the record ("" for the record itself); {@code line} is the 1-based NDJSON line or
 * array element, or 0 when the body held one record.
 */
public final class InvalidRecordException extends RuntimeException {

    private final String pointer;
    private final long line;

    public InvalidRecordException(String message, String pointer, long line) {
        super(message);
        this.pointer = pointer;
        this.line = line;
    }

    public String pointer() {
        return pointer;
    }

    public long line() {
        return line;
    }

    /** The same problem, placed at an element of a JSON array body: the pointer gains the index. */
    public InvalidRecordException inElement(long index) {
        return new InvalidRecordException("element " + index + ": " + getMessage(), "/" + index + pointer, 0);
    }
}
