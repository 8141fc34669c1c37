package dev.eider.export;

import java.nio.file.Path;

/**
 * A Parquet file the store wrote for an export, on local disk.
 *
 * @param path the file
 * @param relative its path below the export's local directory, with {@code /} separators (e.g.
 *     {@code day=2024-05-01/part-0.parquet})
 * @param rows rows in the file
 * @param bytes the file's size, as DuckDB reported it after writing
 */
public record ParquetFile(Path path, String relative, long rows, long bytes) {}
