package dev.eider.files;

/** A file request refused for a reason the client can fix; the HTTP layer maps each reason to a status. */
public final class FileProblem extends RuntimeException {

    /** Why the request was refused. */
    public enum Reason {
        /** No such record, file column or file (404). */
        NOT_FOUND,
        /** A record names a file whose object is gone from the files target (404, titled apart). */
        MISSING,
        /** The file is larger than {@code files.max_size} (413). */
        TOO_LARGE,
        /** The request is malformed: a digest that does not match, a bad part (400). */
        BAD_REQUEST,
        /** A Range that starts past the end of the file (416). */
        UNSATISFIABLE_RANGE
    }

    private final Reason reason;

    public FileProblem(Reason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
