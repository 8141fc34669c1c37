package dev.eider.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eider.export.ExportBaseMissingException;
import dev.eider.export.ExportBusyException;
import dev.eider.export.ExportTargetUnreadableException;
import dev.eider.files.FileProblem;
import dev.eider.ingest.UnavailableException;
import dev.eider.store.StoreException;
import dev.eider.table.InvalidRecordException;
import dev.eider.table.UnknownTableException;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where exceptions become HTTP answers (RFC 9457 problem+json). */
public final class ProblemMapper {

    private static final Logger log = LoggerFactory.getLogger(ProblemMapper.class);
    static final String MEDIA_TYPE = "application/problem+json";

    private final ObjectMapper mapper;

    /** When to try again after the database could not be reached: about the pool's connection timeout. */
    private static final java.time.Duration DATABASE_RETRY = java.time.Duration.ofSeconds(5);

    /** When to try again after the database could not write: long enough for an operator's fix. */
    private static final java.time.Duration DISK_RETRY = java.time.Duration.ofSeconds(30);

    /** When to try again after the database ran short of memory: other work holding it ends soon. */
    private static final java.time.Duration MEMORY_RETRY = java.time.Duration.ofSeconds(1);
    /** When to try again after the database stopped for good: an operator restarts Eider. */
    private static final java.time.Duration RESTART_RETRY = java.time.Duration.ofSeconds(30);

    public ProblemMapper(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public Reply reply(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof StoreException s) {
            e = retryable(s);
        }
        if (e instanceof ExportTargetUnreadableException t) {
            // Asked of the export target while planning (what it holds): its own words name the target.
            e = new UnavailableException(
                    "Export target unavailable",
                    t.getMessage() + "; nothing was planned; try again",
                    DATABASE_RETRY,
                    t);
        }
        Problem p = problem(e);
        Reply reply = new Reply(p.status(), MEDIA_TYPE, write(p), java.util.Map.of());
        if (e instanceof OutOfMemoryError) {
            reply = reply.withHeader("Retry-After", "1");
        }
        if (e instanceof UnavailableException u) {
            reply = reply.withHeader(
                    "Retry-After", Long.toString(Math.max(1, u.retryAfter().toSeconds())));
        }
        if (e instanceof HttpProblem h) {
            for (var header : h.headers().entrySet()) {
                reply = reply.withHeader(header.getKey(), header.getValue());
            }
        }
        return reply;
    }

    /**
     * A database failure the client may retry once the database is back or has room again, as a 503;
     * any other stays as it is (a 500).
     */
    private static Throwable retryable(StoreException s) {
        if (s.databaseUnreachable()) {
            return new UnavailableException(
                    "Database unavailable",
                    "the database (storage.database) cannot be reached; nothing in this request was acknowledged;"
                            + " try again",
                    DATABASE_RETRY,
                    s);
        }
        if (s.databaseCannotWrite()) {
            // The reason (a path, the system's words) goes to the log, not to the client.
            log.atError()
                    .addKeyValue("event", "database_cannot_write")
                    .setCause(s)
                    .log("the database cannot write its files; writes are refused until it can");
            return new UnavailableException(
                    "Database cannot write",
                    "the database cannot write its files (disk full, a file size limit, or read-only); nothing in"
                            + " this request was acknowledged; the operator must free space where storage.path points",
                    DISK_RETRY,
                    s);
        }
        if (s.databaseInvalidated()) {
            return new UnavailableException(
                    "Database failed",
                    "the database stopped after a fatal error (see the log) and works again only after Eider is"
                            + " restarted; nothing in this request was acknowledged; acknowledged writes are kept and"
                            + " applied after the restart",
                    RESTART_RETRY,
                    s);
        }
        if (s.databaseTablesGone()) {
            return new UnavailableException(
                    "Database tables gone",
                    StoreException.TABLES_GONE + "; nothing in this request was acknowledged",
                    RESTART_RETRY,
                    s);
        }
        if (s.databaseOutOfMemory()) {
            return new UnavailableException(
                    "Database out of memory",
                    "the database ran short of memory for this request (storage.memory_limit); nothing in this"
                            + " request was acknowledged; try again, or raise storage.memory_limit",
                    MEMORY_RETRY,
                    s);
        }
        return s;
    }

    public Reply reply(Problem p) {
        return new Reply(p.status(), MEDIA_TYPE, write(p), java.util.Map.of());
    }

    private Problem problem(Throwable e) {
        if (e instanceof OutOfMemoryError) {
            // A safety net: budgets should prevent it; the request was not stored either way.
            log.atError()
                    .addKeyValue("event", "request_out_of_memory")
                    .setCause(e)
                    .log("out of memory");
            return Problem.of(
                    503, "Overloaded", "Eider ran short of memory for this request; nothing in it was acknowledged");
        }
        if (e instanceof HttpProblem h) {
            return Problem.of(h.status(), h.title(), h.getMessage());
        }
        if (e instanceof InvalidRecordException r) {
            return Problem.of(422, "Invalid record", r.getMessage())
                    .at(r.pointer(), r.line() > 0 ? r.line() : null, null);
        }
        if (e instanceof FileProblem f) {
            return switch (f.reason()) {
                case NOT_FOUND -> Problem.of(404, "Not found", f.getMessage());
                case MISSING -> Problem.of(404, "File missing", f.getMessage());
                case TOO_LARGE -> Problem.of(413, "File too large", f.getMessage());
                case BAD_REQUEST -> Problem.of(400, "Bad request", f.getMessage());
                case UNSATISFIABLE_RANGE -> Problem.of(416, "Range not satisfiable", f.getMessage());
            };
        }
        if (e instanceof UnknownTableException u) {
            return Problem.of(404, "Unknown table", u.getMessage());
        }
        if (e instanceof UnavailableException u) {
            return Problem.of(503, u.title(), u.getMessage());
        }
        if (e instanceof ExportBaseMissingException m) {
            return Problem.of(409, "Target lacks earlier exports", m.getMessage());
        }
        if (e instanceof ExportBusyException b) {
            return Problem.of(409, "Export already open", b.getMessage() + "; see /v1/exports/" + b.openId());
        }
        if (e instanceof HttpException h && h.getCode() >= 400 && h.getCode() < 500) {
            // Jetty refused something in the request itself, such as a malformed query string.
            return Problem.of(h.getCode(), "Bad request", plainReason(String.valueOf(h.getReason())));
        }
        if (e instanceof EofException) {
            // The client went away mid-request: nothing to answer and nothing wrong on our side.
            log.atDebug()
                    .addKeyValue("event", "client_gone")
                    .addKeyValue("error", e.getMessage())
                    .log("the client went away");
            return Problem.of(400, "Incomplete request", "the connection closed before the body was complete");
        }
        if (e instanceof IOException && e.getCause() instanceof TimeoutException) {
            // Jetty's idle timeout expired while the body was still arriving.
            log.atDebug()
                    .addKeyValue("event", "client_too_slow")
                    .addKeyValue("error", e.getMessage())
                    .log("the body stopped arriving");
            return Problem.of(408, "Request timeout", "the body stopped arriving before it was complete");
        }
        if (e instanceof StreamConstraintsException c) {
            return JsonErrors.overLimit(c, mapper.getFactory().streamReadConstraints());
        }
        if (e instanceof JsonProcessingException j) {
            return JsonErrors.isInvalidUtf8(j)
                    ? Problem.of(400, "Invalid UTF-8", "the body is not valid UTF-8: " + JsonErrors.reason(j))
                    : JsonErrors.malformed(j);
        }
        if (e instanceof CharConversionException c) {
            return Problem.of(400, "Invalid UTF-8", "the body is not valid UTF-8: " + c.getMessage());
        }
        log.atError().addKeyValue("event", "request_failed").setCause(e).log("request failed");
        return Problem.of(
                500, "Internal error", "the server failed to handle the request; nothing in it was acknowledged");
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException
                        || e instanceof ExecutionException
                        || e instanceof UncheckedIOException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private byte[] write(Problem p) {
        try {
            return mapper.writeValueAsBytes(p);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a problem", e);
        }
    }

    /** Jetty's reasons for refusing a request before it reaches a route, in words that say what to change. */
    static String plainReason(String reason) {
        return switch (reason) {
            case "Bad query" ->
                "the query string is not valid: percent-encode its values (a '%' must be followed by"
                        + " two hex digits; send '%', '+', '&' and '#' as %25, %2B, %26 and %23)";
            case "Transfer-Encoding and Content-Length" ->
                "the request carries both Transfer-Encoding and Content-Length; send one: Content-Length, or"
                        + " Transfer-Encoding: chunked alone";
            case "Bad HostPort", "Bad Host" -> "the Host header is not a host name with an optional port";
            case "No Host" -> "the request has no Host header, which HTTP/1.1 requires";
            case "Authority!=Host" -> "the request's target names another host than its Host header";
            case "Ambiguous URI path segment" ->
                "the request's path holds a '.' or '..' segment (perhaps percent-encoded), which names nothing here";
            case "Bad URI",
                    "Ambiguous URI path separator",
                    "Ambiguous URI path encoding",
                    "Ambiguous URI empty segment" ->
                "the request's path cannot be read: percent-encode it ('%' followed by two hex digits, no %00) and"
                        + " leave no empty segment (//)";
            case "Invalid Content-Length Value", "Multiple Content-Lengths" ->
                "Content-Length must be given once, as a whole number of bytes";
            case "Bad Transfer-Encoding, chunked not last" ->
                "Transfer-Encoding may only be chunked, given once; send the body uncompressed";
            case "Early EOF" -> "the body ended before its declared length or its last chunk";
            case "Request Header Fields Too Large" -> "the request's headers are too large (at most 8KB together)";
            case "Bad Request" ->
                "the request cannot be read: its path must be percent-encoded ('%' followed by two hex digits, no"
                        + " %00) and its headers well formed (Content-Length a whole number of bytes)";
            default -> reason;
        };
    }
}
