package dev.eider.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eider.table.Column;
import dev.eider.table.ColumnType;
import dev.eider.table.TableDef;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The {@code tables} setting: declared tables with typed columns and a primary key. */
final class TableDeclarations {

    private TableDeclarations() {}

    static List<TableDef> bind(JsonNode root) {
        JsonNode node = root.path("tables");
        List<TableDef> tables = new ArrayList<>();
        if (node.isMissingNode()) {
            return tables;
        }
        if (!node.isArray()) {
            throw new ConfigException("tables: must be a list of tables");
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode t = node.get(i);
            String where = "tables[" + i + "]";
            Settings.allowOnly(t, where, Set.of("name", "columns", "primary_key", "export"));
            List<Column> columns = new ArrayList<>();
            JsonNode cols = t.path("columns");
            if (!cols.isArray() || cols.isEmpty()) {
                throw new ConfigException(where + ".columns: must list at least one column");
            }
            String key = t.path("primary_key").asText(null);
            for (int c = 0; c < cols.size(); c++) {
                JsonNode col = cols.get(c);
                String cw = where + ".columns[" + c + "]";
                Settings.allowOnly(col, cw, Set.of("name", "type", "nullable"));
                try {
                    String name = col.path("name").asText(null);
                    if (name == null) {
                        throw new IllegalArgumentException("missing name");
                    }
                    // Non-null unless declared otherwise, as the README promises.
                    ColumnType type = ColumnType.parse(col.path("type").asText(""));
                    // A record starts without its file: file columns are nullable whatever is declared.
                    boolean nullable = Settings.parse(
                            cw + ".nullable",
                            col.path("nullable"),
                            Settings::parseBoolean,
                            type.kind() == ColumnType.Kind.FILE);
                    columns.add(new Column(name, type, nullable));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(cw + ": " + e.getMessage());
                }
            }
            try {
                if (key == null) {
                    throw new IllegalArgumentException("missing primary_key");
                }
                TableDef table = new TableDef(t.path("name").asText(""), columns, key);
                if (tables.stream().anyMatch(d -> d.name().equals(table.name()))) {
                    throw new IllegalArgumentException("table '" + table.name() + "' is declared twice");
                }
                tables.add(table);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where + ": " + e.getMessage());
            }
        }
        return tables;
    }
}
