package dev.eider.http;

import dev.eider.table.Excerpt;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.http.MultiPartConfig;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/** One request as endpoints see it: path parameters, query, headers and a size-limited body. */
public final class Exchange {

    private final Request request;
    private final Map<String, String> pathParams;
    private final long maxBody;
    /** The body read into memory before a non-blocking endpoint runs, or null to stream it. */
    private final BodyBuffer.Body inMemory;

    private Fields query;

    Exchange(Request request, Map<String, String> pathParams, long maxBody, BodyBuffer.Body inMemory) {
        this.request = request;
        this.pathParams = pathParams;
        this.maxBody = maxBody;
        this.inMemory = inMemory;
    }

    public String path(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalArgumentException("route has no parameter '" + name + "'");
        }
        return v;
    }

    /** A query parameter, or null when absent. */
    public String query(String name) {
        Fields.Field field = query().get(name);
        if (field == null) {
            return null;
        }
        if (field.getValues().size() > 1) {
            // Which one was meant cannot be known; taking the first would hide the client's mistake.
            throw new HttpProblem(
                    400,
                    "Bad query parameter",
                    "query parameter " + Excerpt.quoted(name) + " appears "
                            + field.getValues().size() + " times; send it once");
        }
        return field.getValue();
    }

    /**
     * Refuses query parameters other than {@code allowed} with 400 naming them: a misspelt
     * {@code limit} or an {@code offset} this API does not have would otherwise be ignored silently.
     */
    public void allowOnlyQuery(Set<String> allowed) {
        Set<String> unknown = new TreeSet<>(query().getNames());
        unknown.removeAll(allowed);
        if (!unknown.isEmpty()) {
            throw new HttpProblem(
                    400,
                    "Bad query parameter",
                    "unknown query parameter" + (unknown.size() > 1 ? "s " : " ")
                            + String.join(
                                    ", ", unknown.stream().map(Excerpt::quoted).toList())
                            + (allowed.isEmpty()
                                    ? "; this route takes none"
                                    : "; this route takes " + String.join(", ", new TreeSet<>(allowed))));
        }
    }

    private Fields query() {
        if (query == null) {
            query = Request.extractQueryParameters(request);
        }
        return query;
    }

    /** The media type of the body without parameters, lower case, or "" when none was sent. */
    public String mediaType() {
        String ct = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (ct == null) {
            return "";
        }
        int semi = ct.indexOf(';');
        String type = (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(java.util.Locale.ROOT);
        // Parameters without a type (";;;", a trial's) name no type: not the same as sending none.
        return type.isEmpty() ? Excerpt.of(ct.trim()) : type;
    }

    /** The {@code charset} parameter of the body's Content-Type, lower case, or "" when none was sent. */
    public String charset() {
        String charset =
                MimeTypes.getCharsetFromContentType(request.getHeaders().get(HttpHeader.CONTENT_TYPE));
        return charset == null ? "" : charset.toLowerCase(java.util.Locale.ROOT);
    }

    /** The body's length as its headers declare it, or -1 when unknown (chunked). */
    long declaredLength() {
        return request.getLength();
    }

    /** The body as a stream that fails with 413 past the configured limit. */
    public InputStream body() {
        long declared = request.getLength();
        if (declared > maxBody) {
            throw tooLarge(maxBody);
        }
        return new LimitedInputStream(rawBody(), maxBody);
    }

    /** The body as it arrives, without the {@code server.max_body} limit (file bodies have their own). */
    public InputStream rawBody() {
        return inMemory != null ? inMemory.stream() : Content.Source.asInputStream(request);
    }

    /** A request header, or null when absent. */
    public String header(String name) {
        return request.getHeaders().get(name);
    }

    /**
     * Reads a {@code multipart/form-data} body: Jetty's parser streams each part to a file under
     * the config's location (or keeps it in memory below its memory threshold) and enforces its
     * limits. The caller closes the parts, which deletes their files.
     */
    public MultiPartFormData.Parts multipart(MultiPartConfig config) {
        if (inMemory != null) {
            // Parts go to files: a non-blocking route must not take them.
            throw new IllegalStateException("a non-blocking route cannot read a multipart body");
        }
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        return MultiPartFormData.getParts(request, request, contentType, config);
    }

    static HttpProblem tooLarge(long limit) {
        return new HttpProblem(
                413, "Content too large", "the request body is larger than the limit of " + limit + " bytes");
    }
}
