package dev.eider.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eider.config.ExportSettings.Mode;
import dev.eider.config.Scope;
import dev.eider.export.ExportClosedException;
import dev.eider.export.ExportPlan;
import dev.eider.export.ExportService;
import dev.eider.table.Catalog;
import dev.eider.table.Excerpt;
import dev.eider.table.WholeNumber;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@code POST /v1/exports}, {@code GET /v1/exports}, {@code GET /v1/exports/{id}} and {@code DELETE /v1/exports/{id}}. */
public final class ExportRoutes {

    private static final int LIST_LIMIT = 100;
    /** An export request names a table and a mode: far less than this. */
    private static final int MAX_REQUEST_BYTES = 64 << 10;

    private static final String EXAMPLE = "{\"table\": \"records\", \"mode\": \"changes\"}";

    private final ExportService service;
    private final Catalog catalog;
    private final ObjectMapper mapper;

    public ExportRoutes(ExportService service, Catalog catalog, ObjectMapper mapper) {
        this.service = service;
        this.catalog = catalog;
        this.mapper = mapper;
    }

    public List<Route> routes() {
        return List.of(
                new Route("POST", "/v1/exports", Scope.ADMIN, this::start),
                new Route("GET", "/v1/exports", Scope.READ, this::list),
                new Route("GET", "/v1/exports/{id}", Scope.READ, this::show),
                new Route("DELETE", "/v1/exports/{id}", Scope.ADMIN, this::cancel));
    }

    /** The latest exports; none of them filtered (a filter asked for and ignored would mislead). */
    private CompletionStage<Reply> list(Exchange ex) throws IOException {
        return reply(
                200,
                Map.of(
                        "exports",
                        service.list(LIST_LIMIT).stream()
                                .map(p -> ExportView.of(p, service.progress(p.id())))
                                .toList()));
    }

    private CompletionStage<Reply> start(Exchange ex) throws IOException {
        JsonNode read = BodyReader.readObject(ex, mapper, MAX_REQUEST_BYTES, EXAMPLE);
        JsonNode body = read == null ? mapper.createObjectNode() : read;
        body.fieldNames().forEachRemaining(f -> {
            if (!f.equals("table") && !f.equals("mode")) {
                throw new HttpProblem(400, "Bad request", "unknown field '" + f + "'; allowed: table, mode");
            }
        });
        if (body.hasNonNull("table") && !body.get("table").isTextual()) {
            throw new HttpProblem(400, "Bad request", "\"table\" must be a table's name as a string");
        }
        String table = body.hasNonNull("table") ? body.get("table").asText() : defaultTable();
        catalog.require(table);
        if (body.hasNonNull("mode") && !body.get("mode").isTextual()) {
            // asText() made {"a": 1} and [..] "" and 1e999999 "Infinity" (a new-user trial).
            throw new HttpProblem(400, "Bad request", "\"mode\" must be \"snapshot\" or \"changes\", as a string");
        }
        Mode mode = body.hasNonNull("mode") ? mode(body.get("mode").asText()) : null;
        ExportPlan plan = service.request(table, mode);
        return reply(
                202, Map.of("id", plan.id(), "state", plan.state().wireName(), "href", "/v1/exports/" + plan.id()));
    }

    /**
     * The only table, when there is one. {@code records} stays beside declared tables, so preferring it
     * would export it alone whenever a user forgot to name the table they meant.
     */
    private String defaultTable() {
        if (catalog.tables().size() == 1) {
            return catalog.tables().iterator().next().name();
        }
        throw new HttpProblem(
                400,
                "Bad request",
                "there are several tables ("
                        + String.join(
                                ", ",
                                catalog.tables().stream()
                                        .map(t -> t.name())
                                        .sorted()
                                        .toList())
                        + "): name one in \"table\"");
    }

    private static Mode mode(String text) {
        try {
            return Mode.parse(text);
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(400, "Bad request", "mode: " + e.getMessage());
        }
    }

    private CompletionStage<Reply> show(Exchange ex) throws IOException {
        long id = id(ex);
        ExportPlan plan =
                service.find(id).orElseThrow(() -> new HttpProblem(404, "Unknown export", "no export with id " + id));
        return reply(200, ExportView.of(plan, service.progress(id)));
    }

    private CompletionStage<Reply> cancel(Exchange ex) throws IOException {
        long id = id(ex);
        service.find(id).orElseThrow(() -> new HttpProblem(404, "Unknown export", "no export with id " + id));
        try {
            return reply(200, ExportView.of(service.cancel(id)));
        } catch (ExportClosedException e) {
            throw new HttpProblem(
                    409, "Export already finished", e.getMessage() + "; only open exports can be cancelled");
        }
    }

    private static long id(Exchange ex) {
        try {
            return WholeNumber.parseLong(ex.path("id"));
        } catch (NumberFormatException e) {
            // An id that cannot exist is not there, as a record key that cannot exist is not (404).
            throw new HttpProblem(
                    404,
                    "Unknown export",
                    "no export with id " + Excerpt.quoted(ex.path("id")) + "; export ids are whole numbers from 1");
        }
    }

    private CompletableFuture<Reply> reply(int status, Object body) throws IOException {
        return CompletableFuture.completedFuture(Reply.json(status, mapper.writeValueAsBytes(body)));
    }
}
