package dev.eider.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eider.config.Scope;
import dev.eider.ingest.Commit;
import dev.eider.ingest.Writes;
import dev.eider.store.Mutation;
import dev.eider.store.RecordPage;
import dev.eider.store.RecordStore;
import dev.eider.store.StoredRow;
import dev.eider.store.WriteBatch;
import dev.eider.table.Catalog;
import dev.eider.table.Excerpt;
import dev.eider.table.InvalidRecordException;
import dev.eider.table.RecordReader;
import dev.eider.table.TableDef;
import dev.eider.table.WholeNumber;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The record endpoints: the original {@code POST /record} and {@code /v1/tables/{table}/records}. */
final class RecordRoutes {

    private static final int DEFAULT_PAGE = 100;
    private static final int MAX_PAGE = 1000;
    /**
     * Rows ({@code HeapSize}) a page stops at, whatever its limit: a page holds up to 1,000 values of
     * {@code server.max_value} each otherwise (a gigabyte at 1MB). 2MB is about 1MB of text, which the
     * answer's JSON holds again, growing, and the store's reader pool lets 8 pages be read at once: about
     * 50MB of heap at most, beside a 160MB heap's other work (8MB pages ran it out of memory).
     */
    private static final long PAGE_MAX_BYTES = 2L << 20;

    private final Catalog catalog;
    private final RecordStore store;
    private final Writes queue;
    private final BodyReader bodies;
    private final ObjectMapper mapper;
    private final Endpoint multipart;

    RecordRoutes(
            Catalog catalog,
            RecordStore store,
            Writes queue,
            BodyReader bodies,
            ObjectMapper mapper,
            Endpoint multipart) {
        this.multipart = multipart;
        this.catalog = catalog;
        this.store = store;
        this.queue = queue;
        this.bodies = bodies;
        this.mapper = mapper;
    }

    List<Route> routes() {
        String one = "/v1/tables/{table}/records/{id}";
        return List.of(
                new Route("POST", "/v1/tables/{table}/records", Scope.WRITE, this::post),
                new Route("GET", "/v1/tables/{table}/records", Scope.READ, this::list).withQuery("after", "limit"),
                new Route("GET", one, Scope.READ, this::get),
                // Non-blocking as POST /record: parse, reserve, queue. The others may read or stage.
                Route.nonBlocking("PUT", one, Scope.WRITE, this::put),
                new Route("DELETE", one, Scope.WRITE, this::delete));
    }

    private CompletionStage<Reply> post(Exchange ex) throws Exception {
        if (ex.mediaType().equals(FileRoutes.MULTIPART)) {
            return multipart.handle(ex); // a record with its files
        }
        TableDef table = catalog.require(ex.path("table"));
        return queue.submit(bodies.read(ex, table)).thenApply(RecordRoutes::written);
    }

    private CompletionStage<Reply> put(Exchange ex) throws IOException {
        TableDef table = catalog.require(ex.path("table"));
        Object key = RecordReader.keyFromText(table, ex.path("id"))
                .orElseThrow(() -> new HttpProblem(
                        400, "Bad path parameter", notAKey(table, ex.path("id")) + "; PUT the record under its key"));
        Object[] values = bodies.readOne(ex, table);
        Object bodyKey = values[table.keyIndex()];
        if (!Objects.equals(key, bodyKey)) {
            throw new InvalidRecordException(
                    "the body's " + table.primaryKey() + " (" + bodyKey + ") differs from the one in the path (" + key
                            + ")",
                    "/" + table.primaryKey(),
                    0);
        }
        return queue.submit(new WriteBatch.Rows(List.of(Mutation.upsert(table, values))))
                .thenApply(RecordRoutes::written);
    }

    private CompletionStage<Reply> delete(Exchange ex) {
        TableDef table = catalog.require(ex.path("table"));
        Object key = existingKey(table, ex.path("id"));
        queue.awaitVisible();
        if (store.get(table, key).isEmpty()) {
            throw HttpProblem.notFound("no record with " + table.primaryKey() + " " + key + " in " + table.name());
        }
        return queue.submit(new WriteBatch.Rows(List.of(Mutation.delete(table, key))))
                .thenApply(c -> json(200, "{\"deleted\":1,\"sequence\":" + c.sequence() + "}"));
    }

    private CompletionStage<Reply> get(Exchange ex) throws IOException {
        TableDef table = catalog.require(ex.path("table"));
        Object key = existingKey(table, ex.path("id"));
        queue.awaitVisible();
        StoredRow row = store.get(table, key)
                .orElseThrow(() -> HttpProblem.notFound(
                        "no record with " + table.primaryKey() + " " + key + " in " + table.name()));
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            RowJson.write(g, table, row);
        }
        return CompletableFuture.completedFuture(
                Reply.json(200, out.toByteArray()).withHeader("Eider-Sequence", Long.toString(row.sequence())));
    }

    private CompletionStage<Reply> list(Exchange ex) throws IOException {
        TableDef table = catalog.require(ex.path("table"));
        String afterParam = ex.query("after");
        Object after = afterParam == null
                ? null
                : RecordReader.keyFromText(table, afterParam)
                        .orElseThrow(() -> HttpProblem.badQuery("after: " + notAKey(table, afterParam)));
        int limit = limit(ex.query("limit"));
        queue.awaitVisible();
        RecordPage page = store.list(table, after, limit, PAGE_MAX_BYTES);
        List<StoredRow> rows = page.rows();
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("records");
            for (StoredRow r : rows) {
                RowJson.write(g, table, r);
            }
            g.writeEndArray();
            g.writeFieldName("next");
            if (!page.more()) {
                g.writeNull();
            } else {
                g.writeString(String.valueOf(rows.get(rows.size() - 1).values()[table.keyIndex()]));
            }
            g.writeEndObject();
        }
        return CompletableFuture.completedFuture(Reply.json(200, out.toByteArray()));
    }

    private static int limit(String raw) {
        if (raw == null) {
            return DEFAULT_PAGE;
        }
        try {
            int n = WholeNumber.parseInt(raw);
            if (n >= 1 && n <= MAX_PAGE) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // Falls through to the problem below.
        }
        throw HttpProblem.badQuery("limit must be an integer from 1 to " + MAX_PAGE + ", got " + Excerpt.quoted(raw));
    }

    /** The key of a record named in the path; a text that cannot be a key names no record, so 404. */
    static Object existingKey(TableDef table, String raw) {
        return RecordReader.keyFromText(table, raw)
                .orElseThrow(() -> HttpProblem.notFound("no record with " + table.primaryKey() + " "
                        + Excerpt.quoted(raw) + " in " + table.name() + ": " + table.primaryKey() + " is an "
                        + table.key().type()));
    }

    private static String notAKey(TableDef table, String raw) {
        return Excerpt.quoted(raw) + " is not an " + table.key().type() + ", the type of " + table.name() + "'s key '"
                + table.primaryKey() + "'";
    }

    private static Reply written(Commit c) {
        return json(200, "{\"written\":" + c.rows() + ",\"sequence\":" + c.sequence() + "}");
    }

    private static Reply json(int status, String body) {
        return Reply.json(status, body.getBytes(StandardCharsets.UTF_8));
    }
}
