package dev.eider.export;

/** An export plan is no longer open (succeeded, skipped or cancelled): it cannot change any more. */
public final class ExportClosedException extends RuntimeException {

    private final ExportState state;

    public ExportClosedException(long id, ExportState state) {
        super("export " + id + " is already " + state.wireName());
        this.state = state;
    }

    public ExportState state() {
        return state;
    }
}
