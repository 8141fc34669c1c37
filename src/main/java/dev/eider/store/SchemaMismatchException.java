package dev.eider.store;

/** The declared tables cannot be reconciled with the database; the message says what and how to resolve it. */
public final class SchemaMismatchException extends RuntimeException {

    public SchemaMismatchException(String message) {
        super(message);
    }
}
