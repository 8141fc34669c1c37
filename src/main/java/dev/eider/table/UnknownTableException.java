package dev.eider.table;

/** A request named a table that is not declared. */
public final class UnknownTableException extends RuntimeException {

    private final String table;

    public UnknownTableException(String table) {
        super("table " + Excerpt.quoted(table) + " is not declared");
        this.table = table;
    }

    public String table() {
        return table;
    }
}
