package dev.eider.config;

import dev.eider.table.TableDef;
import java.util.List;

/** The whole configuration of one Eider process, validated when built. */
public record EiderConfig(
        ServerConfig server,
        StoreConfig store,
        IngestConfig ingest,
        ExportConfig export,
        FilesConfig files,
        List<TableDef> tables,
        boolean jsonLogs) {

    public EiderConfig {
        tables = List.copyOf(tables);
    }
}
