package dev.eider.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eider.ingest.MemoryBudget;
import dev.eider.ingest.UnavailableException;
import dev.eider.store.HeapSize;
import dev.eider.store.Mutation;
import dev.eider.store.RecordStore;
import dev.eider.store.StagedRows;
import dev.eider.store.WriteBatch;
import dev.eider.table.Excerpt;
import dev.eider.table.InvalidRecordException;
import dev.eider.table.RecordReader;
import dev.eider.table.TableDef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a write request's body (one JSON object, a JSON array of objects, or NDJSON) into the rows
 * of one request. Small bodies stay in memory; past {@code stageThreshold} rows or
 * {@code stageBytes} of rows the body streams into a staging table, so a million-line upload never
 * sits in memory as objects. While it reads, a body holds an allowance in the {@link MemoryBudget}
 * for its rows and the parser's buffers (503 when the budget is spent). Any bad record refuses the
 * whole body.
 */
final class BodyReader {

    static final String NDJSON = "application/x-ndjson";
    /** Jackson's words for a field given twice; the name alone goes into the answer. */
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.{1,64})'");

    private final ObjectMapper mapper;
    private final RecordReader records;
    private final RecordStore store;
    private final MemoryBudget budget;
    private final Limits limits;

    /**
     * How much of a body may sit in memory.
     *
     * @param stageRows rows above which a request is staged
     * @param stageBytes heap ({@link HeapSize}) of rows above which a request is staged
     * @param maxValue the largest value in a record, in bytes
     */
    record Limits(int stageRows, long stageBytes, long maxValue) {

        /**
         * What reading a body may take from the budget: its rows until they are staged, and the
         * parser's buffers for the largest value (Jackson's text buffer and the string made from it
         * hold a value about four times over). A small body of known length takes far less.
         */
        long allowance(long declaredLength) {
            long most = stageBytes + 4 * maxValue;
            return declaredLength < 0 ? most : Math.min(most, 1024 + 4 * declaredLength);
        }
    }

    BodyReader(ObjectMapper mapper, RecordReader records, RecordStore store, MemoryBudget budget, Limits limits) {
        this.mapper = mapper;
        this.records = records;
        this.store = store;
        this.budget = budget;
        this.limits = limits;
    }

    WriteBatch.Part read(Exchange exchange, TableDef table) throws IOException {
        boolean ndjson = isNdjson(exchange.mediaType());
        if (!ndjson) {
            requireJson(exchange.mediaType(), "application/json or " + NDJSON);
        }
        requireUtf8(exchange.charset());
        refuseContentCoding(exchange.header("Content-Encoding"));
        long allowance = limits.allowance(exchange.declaredLength());
        reserve(exchange, allowance);
        try {
            return parse(exchange, table, ndjson);
        } finally {
            budget.release(allowance);
        }
    }

    private WriteBatch.Part parse(Exchange exchange, TableDef table, boolean ndjson) throws IOException {
        Collector rows = new Collector(table);
        try (InputStream in = utf8Only(exchange.body());
                JsonParser p = mapper.getFactory().createParser(in)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw HttpProblem.badRequest(
                        "the body is empty; send a JSON object, a JSON array of objects, or NDJSON");
            }
            if (ndjson) {
                readLines(p, table, rows);
            } else if (first == JsonToken.START_OBJECT) {
                rows.add(records.read(p, table, 0));
                requireEnd(p);
            } else if (first == JsonToken.START_ARRAY) {
                readArray(p, table, rows);
                requireEnd(p);
            } else {
                throw HttpProblem.badRequest(
                        "expected a JSON object or an array of objects, found " + Excerpt.quoted(p.getText()));
            }
            return rows.finish();
        } catch (Throwable e) {
            // Whatever failed (an Error too), the staged rows were never handed over.
            rows.discard();
            throw e;
        }
    }

    /** Reads the single object of a body, as PUT takes it. */
    Object[] readOne(Exchange exchange, TableDef table) throws IOException {
        requireJson(exchange.mediaType(), "application/json");
        requireUtf8(exchange.charset());
        refuseContentCoding(exchange.header("Content-Encoding"));
        return parseOne(exchange, table);
    }

    private Object[] parseOne(Exchange exchange, TableDef table) throws IOException {
        return withAllowance(exchange, () -> {
            try (InputStream in = utf8Only(exchange.body());
                    JsonParser p = mapper.getFactory().createParser(in)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw HttpProblem.badRequest("expected one JSON object");
                }
                Object[] values = records.read(p, table, 0);
                requireEnd(p);
                return values;
            }
        });
    }

    /**
     * Reserves a body's allowance. Refused, a body of a known length up to the largest value is
     * read and dropped first: a client still sending it would otherwise lose the 503 to the reset
     * of a connection closed under its upload.
     */
    private void reserve(Exchange exchange, long allowance) throws IOException {
        try {
            budget.reserve(allowance);
        } catch (UnavailableException e) {
            long length = exchange.declaredLength();
            if (length >= 0 && length <= limits.maxValue() * 2) {
                try (InputStream in = exchange.body()) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            }
            throw e;
        }
    }

    /** Reading a body of one record, as {@code read} does it. */
    interface OneRecord {
        Object[] read() throws IOException;
    }

    /** Runs {@code read} holding the body's allowance in the memory budget (503 when it is spent). */
    Object[] withAllowance(Exchange exchange, OneRecord read) throws IOException {
        long allowance = limits.allowance(exchange.declaredLength());
        reserve(exchange, allowance);
        try {
            return read.read();
        } finally {
            budget.release(allowance);
        }
    }

    /** Refuses a body whose declared type is not JSON; a body without a type is read as JSON. */
    static void requireJson(String mediaType, String expected) {
        if (!mediaType.isEmpty() && !mediaType.equals("application/json") && !mediaType.endsWith("+json")) {
            throw new HttpProblem(
                    415,
                    "Unsupported media type",
                    "Content-Type " + Excerpt.quoted(mediaType) + " is not supported here; send " + expected);
        }
    }

    /** JSON is UTF-8 (RFC 8259): a body declared in another charset would be misread, so it is refused. */
    private static void requireUtf8(String charset) {
        if (!charset.isEmpty() && !charset.equals("utf-8") && !charset.equals("utf8")) {
            throw new HttpProblem(
                    415,
                    "Unsupported media type",
                    "charset " + Excerpt.quoted(charset) + " is not supported; send the body in UTF-8 (charset=utf-8"
                            + " or no charset)");
        }
    }

    /**
     * Bodies are read as sent: a compressed one would be parsed as JSON and refused as invalid (400).
     * RFC 9110 answers an unsupported content coding with 415. ({@code POST /record} reads any body as
     * JSON, as the original did, and answers 422.)
     */
    static void refuseContentCoding(String coding) {
        if (coding != null && !coding.isBlank() && !coding.trim().equalsIgnoreCase("identity")) {
            throw new HttpProblem(
                    415,
                    "Unsupported media type",
                    "Content-Encoding " + Excerpt.quoted(coding) + " is not supported; send the body"
                            + " uncompressed, without Content-Encoding",
                    Map.of("Accept-Encoding", "identity"));
        }
    }

    /**
     * Jetty de-chunks a body and reads nothing else of {@code Transfer-Encoding}: a body sent {@code gzip,
     * chunked} was parsed compressed (400) or, when not compressed after all, stored (a new-user trial). RFC 9112
     * suggests 501 for a transfer coding the server does not know; it is the client's to change, so 400 here, as
     * for any request Eider cannot read. Every route, {@code POST /record} included.
     */
    static void refuseTransferCoding(String codings) {
        if (codings == null) {
            return;
        }
        for (String coding : codings.split(",")) {
            if (!coding.isBlank() && !coding.trim().equalsIgnoreCase("chunked")) {
                throw new HttpProblem(
                        400,
                        "Unsupported transfer coding",
                        "Transfer-Encoding " + Excerpt.quoted(coding.trim()) + " is not supported; send the body"
                                + " with a Content-Length or chunked only");
            }
        }
    }

    /**
     * The body, refused unless it starts as UTF-8 can. Jackson reads UTF-16 and UTF-32 too, which it tells by a
     * byte-order mark or by zero bytes among the first four (a trial's body starting {@code FF FE} was read as
     * UTF-16 and refused as malformed JSON with a character it never held); JSON bodies here are UTF-8, and a
     * zero byte can open no UTF-8 JSON.
     */
    static InputStream utf8Only(InputStream body) throws IOException {
        PushbackInputStream in = new PushbackInputStream(body, 4);
        byte[] head = in.readNBytes(4);
        requireUtf8Start(head, head.length);
        in.unread(head);
        return in;
    }

    static void requireUtf8Start(byte[] bytes, int length) {
        boolean bom = length >= 2
                && (bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF
                        || bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE);
        boolean zero = false;
        for (int i = 0; i < Math.min(4, length); i++) {
            zero |= bytes[i] == 0;
        }
        if (bom || zero) {
            throw new HttpProblem(
                    400,
                    "Invalid UTF-8",
                    "the body is not UTF-8: it starts as UTF-16 or UTF-32 do; send JSON in UTF-8");
        }
    }

    static boolean isNdjson(String mediaType) {
        return mediaType.equals(NDJSON)
                || mediaType.equals("application/jsonl")
                || mediaType.equals("application/x-jsonlines");
    }

    private void readLines(JsonParser p, TableDef table, Collector rows) throws IOException {
        long lastEnded = 0;
        for (JsonToken t = p.currentToken(); t != null; t = p.nextToken()) {
            long line = p.currentTokenLocation().getLineNr();
            if (t != JsonToken.START_OBJECT) {
                throw new InvalidRecordException(
                        "line " + line + ": expected a JSON object, found " + Excerpt.quoted(p.getText()), "", line);
            }
            JsonLocation start = p.currentTokenLocation();
            if (line == lastEnded) {
                // How the body is framed, not what a record holds: 400 like any body that is not NDJSON.
                throw new JsonParseException(p, "a second record on the line; NDJSON holds one record per line", start);
            }
            try {
                rows.add(records.read(p, table, line));
                lastEnded = p.currentTokenLocation().getLineNr();
                if (lastEnded != line) {
                    // Read as one record, it would be taken by a parser that splits lines first as two bad ones.
                    throw new JsonParseException(
                            p,
                            "the record goes on to line " + lastEnded + "; NDJSON holds one whole record per line",
                            start);
                }
            } catch (InvalidRecordException e) {
                throw new InvalidRecordException("line " + line + ": " + e.getMessage(), e.pointer(), line);
            } catch (JsonParseException e) {
                if (!(e instanceof JsonEOFException)
                        && !String.valueOf(e.getOriginalMessage()).startsWith("Unexpected end-of-input")) {
                    throw e;
                }
                // The parser stops at the end of the body, on the line after a cut record that ends in a
                // newline: name the line where the record starts.
                throw new JsonParseException(
                        p, "the body ends inside this record; NDJSON holds one whole record per line", start);
            }
        }
    }

    private void readArray(JsonParser p, TableDef table, Collector rows) throws IOException {
        long index = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), index++) {
            if (t != JsonToken.START_OBJECT) {
                throw new InvalidRecordException("element " + index + ": expected a JSON object", "/" + index, 0);
            }
            try {
                rows.add(records.read(p, table, 0));
            } catch (InvalidRecordException e) {
                throw e.inElement(index);
            }
        }
        if (index == 0) {
            throw HttpProblem.badRequest("the array is empty; send at least one record");
        }
    }

    private static void requireEnd(JsonParser p) throws IOException {
        requireEnd(p, "send several records as a JSON array or as NDJSON (Content-Type: " + NDJSON + ")");
    }

    private static void requireEnd(JsonParser p, String advice) throws IOException {
        JsonToken extra = p.nextToken();
        if (extra != null) {
            throw HttpProblem.badRequest("unexpected content after the JSON value at line "
                    + p.currentTokenLocation().getLineNr() + "; " + advice);
        }
    }

    /**
     * The body of a request that is not records ({@code POST /v1/exports}): one JSON object of at most
     * {@code maxBytes}, under the rules records' bodies follow (JSON in UTF-8, no content coding, nothing
     * after the object); null when the body is empty.
     *
     * @param example a body such a request takes, for the answer to a wrong one
     */
    static JsonNode readObject(Exchange exchange, ObjectMapper mapper, int maxBytes, String example)
            throws IOException {
        byte[] raw = exchange.body().readNBytes(maxBytes + 1);
        if (raw.length == 0) {
            return null;
        }
        if (raw.length > maxBytes) {
            throw new HttpProblem(
                    413, "Body too large", "this request's body is at most " + maxBytes + " bytes, such as " + example);
        }
        // A form (curl -d) would be refused as malformed JSON; the other JSON routes answer 415.
        requireJson(exchange.mediaType(), "application/json");
        requireUtf8(exchange.charset());
        refuseContentCoding(exchange.header("Content-Encoding"));
        requireUtf8Start(raw, raw.length);
        try (JsonParser p = mapper.getFactory().createParser(raw)) {
            // Which of two "table" fields was meant is a guess: the last one was taken (a new-user trial).
            p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            JsonToken first = p.nextToken();
            if (first == null) {
                // Only white space: as empty, as the record routes take it.
                return null;
            }
            if (first != JsonToken.START_OBJECT) {
                throw HttpProblem.badRequest("the body must be a JSON object such as " + example);
            }
            JsonNode body = mapper.readTree(p);
            requireEnd(p, "send one JSON object such as " + example);
            return body;
        } catch (JsonParseException e) {
            Matcher twice = DUPLICATE.matcher(e.getOriginalMessage());
            if (twice.matches()) {
                throw HttpProblem.badRequest(
                        "\"" + twice.group(1) + "\" is given twice; give it once, such as " + example);
            }
            throw e;
        } catch (StreamConstraintsException e) {
            // Records' limits (server.max_value, max_depth): worded for records, and this body holds none.
            throw HttpProblem.badRequest("the body holds a value longer or deeper than this request takes; send one"
                    + " JSON object such as " + example);
        }
    }

    /** Holds a request's rows in memory until there are many, then stages them in the database. */
    private final class Collector {
        private final TableDef table;
        private List<Mutation> memory = new ArrayList<>();
        private long memoryBytes;
        private StagedRows staged;

        Collector(TableDef table) {
            this.table = table;
        }

        void add(Object[] values) {
            if (staged != null) {
                staged.add(values[table.keyIndex()], values);
                return;
            }
            memory.add(Mutation.upsert(table, values));
            memoryBytes += HeapSize.of(values);
            if (memory.size() > limits.stageRows() || memoryBytes > limits.stageBytes()) {
                staged = store.stage(table);
                memory.forEach(m -> staged.add(m.key(), m.values()));
                memory = null;
            }
        }

        WriteBatch.Part finish() {
            if (staged != null) {
                staged.seal();
                return new WriteBatch.Staged(staged);
            }
            return new WriteBatch.Rows(memory);
        }

        void discard() {
            if (staged != null) {
                staged.close();
            }
        }
    }
}
