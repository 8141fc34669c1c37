package dev.eider.store;

import java.util.List;

/**
 * One page of a table's live rows in key order.
 *
 * @param rows the rows, fewer than asked for when the page reached its size bound or the table's end
 * @param more whether rows with greater keys follow
 */
public record RecordPage(List<StoredRow> rows, boolean more) {}
