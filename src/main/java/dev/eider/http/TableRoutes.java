package dev.eider.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eider.config.Scope;
import dev.eider.ingest.Writes;
import dev.eider.store.RecordStore;
import dev.eider.table.Catalog;
import dev.eider.table.Column;
import dev.eider.table.TableDef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Describes the declared tables: {@code GET /v1/tables} and {@code GET /v1/tables/{table}}. */
final class TableRoutes {

    private final Catalog catalog;
    private final RecordStore store;
    private final Writes queue;
    private final ObjectMapper mapper;

    TableRoutes(Catalog catalog, RecordStore store, Writes queue, ObjectMapper mapper) {
        this.catalog = catalog;
        this.store = store;
        this.queue = queue;
        this.mapper = mapper;
    }

    List<Route> routes() {
        return List.of(
                new Route("GET", "/v1/tables", Scope.READ, ex -> {
                    return reply(Map.of(
                            "tables",
                            catalog.tables().stream().map(TableRoutes::describe).toList()));
                }),
                new Route("GET", "/v1/tables/{table}", Scope.READ, ex -> {
                    TableDef t = catalog.require(ex.path("table"));
                    Map<String, Object> body = describe(t);
                    queue.awaitVisible();
                    body.put("row_count", store.count(t));
                    return reply(body);
                }));
    }

    static Map<String, Object> describe(TableDef t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("primary_key", t.primaryKey());
        m.put("columns", t.columns().stream().map(TableRoutes::describe).toList());
        return m;
    }

    private static Map<String, Object> describe(Column c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("type", c.type().toString());
        m.put("nullable", c.nullable());
        return m;
    }

    private CompletableFuture<Reply> reply(Object body) throws JsonProcessingException {
        return CompletableFuture.completedFuture(Reply.json(200, mapper.writeValueAsBytes(body)));
    }
}
