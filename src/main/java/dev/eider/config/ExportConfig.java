package dev.eider.config;

import java.util.Map;

/**
 * Where exports go and the settings each table uses.
 *
 * @param target {@code s3://bucket/prefix} or {@code file:/path}
 * @param defaults settings for tables that declare none
 * @param perTable settings of tables that declare their own, by table name
 * @param workDir where Parquet files are written before upload
 */
public record ExportConfig(
        String target,
        S3Config s3,
        ExportSettings defaults,
        Map<String, ExportSettings> perTable,
        java.nio.file.Path workDir) {

    public ExportConfig {
        perTable = Map.copyOf(perTable);
    }

    public ExportSettings forTable(String table) {
        return perTable.getOrDefault(table, defaults);
    }
}
