package dev.eider.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eider.config.Scope;
import dev.eider.ingest.Writes;
import dev.eider.store.Mutation;
import dev.eider.store.WriteBatch;
import dev.eider.table.Catalog;
import dev.eider.table.Excerpt;
import dev.eider.table.InvalidRecordException;
import dev.eider.table.RecordReader;
import dev.eider.table.TableDef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The original service's {@code POST /record}, answering as its FastAPI and pydantic v2 model did:
 * a JSON object read in pydantic's lax mode, 422 for anything it could not validate (a body that is
 * not JSON, not an object, or not sent as JSON), and {@code {"status":"success"}}. Eider differs only
 * where the original failed with a 500; docs/decisions.md lists each case.
 */
final class OriginalRecordRoute {

    private final Catalog catalog;
    private final Writes queue;
    private final ObjectMapper mapper;
    private final RecordReader records;
    private final BodyReader bodies;

    OriginalRecordRoute(Catalog catalog, Writes queue, ObjectMapper mapper, RecordReader records, BodyReader bodies) {
        this.catalog = catalog;
        this.queue = queue;
        this.mapper = mapper;
        this.records = records;
        this.bodies = bodies;
    }

    /** Non-blocking: it parses the body, reserves memory and queues the row, and the log writer answers. */
    Route route() {
        return Route.nonBlocking("POST", "/record", Scope.WRITE, this::post);
    }

    private CompletionStage<Reply> post(Exchange ex) throws IOException {
        TableDef table = catalog.require(TableDef.DEFAULT.name());
        requireJson(ex.mediaType());
        Object[] values = bodies.withAllowance(ex, () -> read(ex, table));
        return queue.submit(new WriteBatch.Rows(List.of(Mutation.upsert(table, values))))
                .thenApply(c -> Reply.json(
                        200,
                        ("{\"status\":\"success\",\"sequence\":" + c.sequence() + "}")
                                .getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * FastAPI reads a body as JSON when it has no type, or a type of application/json or application/*+json
     * ({@code fastapi/routing.py}: {@code if not content_type_value: json_body = await request.json()}); any other
     * body goes to pydantic as bytes and fails validation (422).
     */
    private static void requireJson(String mediaType) {
        if (!mediaType.isEmpty()
                && !mediaType.equals("application/json")
                && !(mediaType.startsWith("application/") && mediaType.endsWith("+json"))) {
            throw new InvalidRecordException(
                    "send the record as a JSON object with Content-Type: application/json (curl: --json), not as "
                            + Excerpt.of(mediaType),
                    "",
                    0);
        }
    }

    private Object[] read(Exchange ex, TableDef table) throws IOException {
        try (InputStream in = ex.body();
                JsonParser p = mapper.getFactory().createParser(in)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new InvalidRecordException(
                        first == null
                                ? "the body is empty; send {\"id\": <integer>, \"value\": <string>}"
                                : "expected a JSON object such as {\"id\": 1, \"value\": \"a\"}",
                        "",
                        0);
            }
            Object[] values = records.readLax(p, table);
            if (p.nextToken() != null) {
                throw new InvalidRecordException("unexpected content after the JSON object", "", 0);
            }
            return values;
        } catch (StreamConstraintsException e) {
            throw e;
        } catch (JsonProcessingException e) {
            if (JsonErrors.isInvalidUtf8(e)) {
                throw e;
            }
            // FastAPI answers a body that is not JSON with 422 (json_invalid), as any other invalid input.
            throw new InvalidRecordException(JsonErrors.malformed(e).detail(), "", 0);
        }
    }
}
