package dev.eider.store;

/**
 * A row as stored: its values in column order and the sequence of the write that last set it.
 */
public record StoredRow(Object[] values, long sequence) {}
