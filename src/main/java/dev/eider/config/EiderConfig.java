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
        boolean jsonLogs,
        Role role) {

    public EiderConfig {
        tables = List.copyOf(tables);
        java.util.Objects.requireNonNull(role, "role");
    }

    /** A configuration whose instance does everything ({@link Role#ALL}). */
    public EiderConfig(
            ServerConfig server,
            StoreConfig store,
            IngestConfig ingest,
            ExportConfig export,
            FilesConfig files,
            List<TableDef> tables,
            boolean jsonLogs) {
        this(server, store, ingest, export, files, tables, jsonLogs, Role.ALL);
    }
}
