package dev.eider.store;

/** The database failed; nothing in the failed operation was committed. */
public final class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
