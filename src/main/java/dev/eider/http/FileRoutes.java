package dev.eider.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eider.config.FilesConfig;
import dev.eider.config.Scope;
import dev.eider.files.FileProblem;
import dev.eider.files.FileService;
import dev.eider.table.Catalog;
import dev.eider.table.ColumnType;
import dev.eider.table.Excerpt;
import dev.eider.table.FileRef;
import dev.eider.table.RecordReader;
import dev.eider.table.TableDef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartConfig;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;

/**
 * The file endpoints: {@code PUT|GET|DELETE /v1/tables/{table}/records/{id}/files/{column}}, and
 * the {@code multipart/form-data} form of {@code POST /v1/tables/{table}/records} (a part
 * {@code record} with the record's JSON, one part per file column).
 */
final class FileRoutes {

    static final String MULTIPART = "multipart/form-data";
    private static final long MEMORY_PART = 64 << 10;

    private final Catalog catalog;
    private final FileService files;
    private final RecordReader reader;
    private final ObjectMapper mapper;
    private final FilesConfig config;

    FileRoutes(Catalog catalog, FileService files, RecordReader reader, ObjectMapper mapper, FilesConfig config) {
        this.catalog = catalog;
        this.files = files;
        this.reader = reader;
        this.mapper = mapper;
        this.config = config;
    }

    List<Route> routes() {
        String file = "/v1/tables/{table}/records/{id}/files/{column}";
        return List.of(
                new Route("PUT", file, Scope.WRITE, this::put),
                new Route("GET", file, Scope.READ, this::get).withQuery("redirect"),
                new Route("DELETE", file, Scope.WRITE, this::delete));
    }

    private CompletionStage<Reply> put(Exchange ex) throws IOException {
        TableDef table = catalog.require(ex.path("table"));
        Object key = RecordRoutes.existingKey(table, ex.path("id"));
        String column = ex.path("column");
        files.requireRecordBeforeBody(table, key);
        String type = fileType(column, ex.header(HttpHeader.CONTENT_TYPE.asString()));
        FileService.Upload upload = files.spool(table, column, ex.rawBody(), ex.declaredLength(), type);
        try {
            files.verifyDigest(upload, ex.header("Content-Digest"));
            return files.put(table, key, upload)
                    .thenApply(c -> Reply.json(200, refJson(c.files().get(column)))
                            .withHeader(
                                    "Eider-Sequence", Long.toString(c.commit().requestSequence())))
                    .whenComplete((r, e) -> upload.close());
        } catch (RuntimeException e) {
            upload.close();
            throw e;
        }
    }

    private CompletionStage<Reply> get(Exchange ex) {
        boolean redirect = redirect(ex.query("redirect"));
        TableDef table = catalog.require(ex.path("table"));
        Object key = RecordRoutes.existingKey(table, ex.path("id"));
        String column = ex.path("column");
        FileRef ref = files.find(table, key, column)
                .orElseThrow(() -> new FileProblem(
                        FileProblem.Reason.NOT_FOUND,
                        "record " + key + " of " + table.name() + " has no file in column " + Excerpt.quoted(column)));
        if (redirect) {
            String url = files.presign(ref)
                    .orElseThrow(() -> new FileProblem(
                            FileProblem.Reason.BAD_REQUEST,
                            "files.target is a folder; presigned URLs need an s3:// files.target"))
                    .toString();
            return done(
                    new Reply(307, "text/plain", new byte[0], Map.of("Location", url, "Cache-Control", "no-store")));
        }
        String etag = "\"" + ref.sha256() + "\"";
        ByteRange range = ByteRange.parse(ex.header(HttpHeader.RANGE.asString()), ref.size());
        if (range == ByteRange.UNSATISFIABLE) {
            throw new HttpProblem(
                    416,
                    "Range Not Satisfiable",
                    "the Range asks for bytes from beyond the file's end; the file has " + ref.size() + " bytes",
                    Map.of("Content-Range", "bytes */" + ref.size(), "ETag", etag));
        }
        boolean partial = range != null;
        long first = partial ? range.first() : 0;
        long last = partial ? range.last() : ref.size() - 1;
        InputStream in = files.open(table, key, column, ref, first, last);
        Reply reply = inert(Reply.stream(partial ? 206 : 200, ref.contentType(), in, last - first + 1))
                .withHeader("ETag", etag)
                .withHeader("Accept-Ranges", "bytes");
        if (partial) {
            reply = reply.withHeader("Content-Range", "bytes " + first + "-" + last + "/" + ref.size());
        }
        return done(reply);
    }

    /**
     * A stored file keeps the type its uploader declared, but is never rendered as a page of Eider's
     * origin (where the status page keeps tokens): the browser downloads it, does not sniff another
     * type, and would run it, if at all, in a sandbox with no access to the origin. No filename is
     * stored, so the disposition names none.
     */
    private static Reply inert(Reply reply) {
        return reply.withHeader("Content-Disposition", "attachment")
                .withHeader("X-Content-Type-Options", "nosniff")
                .withHeader("Content-Security-Policy", "default-src 'none'; sandbox");
    }

    /** {@code ?redirect=true|false}, or the {@code files.redirect} default when absent. */
    private boolean redirect(String raw) {
        if (raw == null) {
            return files.redirectByDefault();
        }
        return switch (raw) {
            case "true" -> true;
            case "false" -> false;
            default -> throw HttpProblem.badQuery("redirect must be true or false, got " + Excerpt.quoted(raw));
        };
    }

    private CompletionStage<Reply> delete(Exchange ex) {
        TableDef table = catalog.require(ex.path("table"));
        Object key = RecordRoutes.existingKey(table, ex.path("id"));
        return files.clear(table, key, ex.path("column"))
                .thenApply(c -> json(200, "{\"deleted\":1,\"sequence\":" + c.requestSequence() + "}"));
    }

    /** {@code POST /v1/tables/{table}/records} with {@code multipart/form-data}: a record and its files at once. */
    CompletionStage<Reply> postMultipart(Exchange ex) throws IOException {
        TableDef table = catalog.require(ex.path("table"));
        BodyReader.refuseContentCoding(ex.header("Content-Encoding"));
        MultiPartFormData.Parts parts = parts(ex, table);
        List<FileService.Upload> uploads = new ArrayList<>();
        try {
            requireDistinctNames(parts);
            Object[] values = null;
            for (MultiPart.Part part : parts) {
                String name = part.getName();
                if ("record".equals(name)) {
                    values = record(table, part);
                } else {
                    String type = fileType(name, part.getHeaders().get(HttpHeader.CONTENT_TYPE));
                    try (InputStream in = Content.Source.asInputStream(part.getContentSource())) {
                        uploads.add(files.spool(table, name, in, part.getLength(), type));
                    }
                }
            }
            if (values == null) {
                throw new FileProblem(
                        FileProblem.Reason.BAD_REQUEST,
                        "the multipart body has no part named 'record'; send the record's JSON object in it");
            }
            return files.create(table, values, uploads)
                    .whenComplete((r, e) -> closeAll(uploads, parts))
                    .thenApply(c -> {
                        try {
                            return Reply.json(200, createdJson(c));
                        } catch (IOException e) {
                            throw new CompletionException(e);
                        }
                    });
        } catch (IOException | RuntimeException e) {
            closeAll(uploads, parts);
            throw e;
        }
    }

    /** Refuses a part without a name and a second part of one name, which would otherwise replace the first. */
    private static void requireDistinctNames(MultiPartFormData.Parts parts) {
        Set<String> seen = new HashSet<>();
        for (MultiPart.Part part : parts) {
            String name = part.getName();
            if (name == null || name.isEmpty()) {
                throw new FileProblem(
                        FileProblem.Reason.BAD_REQUEST,
                        "a part of the multipart body has no name; name it 'record' or after a file column");
            }
            if (!seen.add(name)) {
                throw new FileProblem(
                        FileProblem.Reason.BAD_REQUEST,
                        "the multipart body has two parts named " + Excerpt.quoted(name)
                                + "; send one 'record' part and at most one part per file column");
            }
        }
    }

    private MultiPartFormData.Parts parts(Exchange ex, TableDef table) {
        long fileColumns = table.columns().stream()
                .filter(c -> c.type().kind() == ColumnType.Kind.FILE)
                .count();
        MultiPartConfig limits = new MultiPartConfig.Builder()
                .location(files.spoolDir())
                // Room for a duplicate of each part, so that a duplicate is refused by name rather than by count.
                .maxParts(2 * ((int) fileColumns + 1))
                .maxPartSize(config.maxSize().bytes())
                .maxSize(config.maxSize().bytes() * Math.max(1, fileColumns) + (1L << 20))
                .maxMemoryPartSize(MEMORY_PART)
                .useFilesForPartsWithoutFileName(true)
                .build();
        try {
            return ex.multipart(limits);
        } catch (RuntimeException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            String message = String.valueOf(cause.getMessage());
            if (message.contains("exceeded")) {
                throw new FileProblem(
                        FileProblem.Reason.TOO_LARGE,
                        "the multipart body exceeds a limit (" + message + "): at most one part per file column plus"
                                + " 'record', each file at most files.max_size (" + config.maxSize() + ")");
            }
            throw new FileProblem(FileProblem.Reason.BAD_REQUEST, "the multipart body cannot be read: " + why(message));
        }
    }

    /** Jetty's reasons for an unreadable multipart body, in the words of the request. */
    private static String why(String jettyMessage) {
        if (jettyMessage.contains("boundary parameter")) {
            return "its Content-Type names no boundary (multipart/form-data; boundary=...)";
        }
        if (jettyMessage.contains("EOF")) {
            return "it ended before its closing boundary (--boundary--)";
        }
        return jettyMessage;
    }

    /**
     * The type a file is stored with and served back as: refused (415) unless it is a media type (a new-user trial
     * stored "../../x"). None at all is allowed: the file is then {@code application/octet-stream}.
     */
    private static String fileType(String column, String contentType) {
        if (contentType != null && !contentType.isBlank() && !MediaTypes.wellFormed(contentType.strip())) {
            throw new HttpProblem(
                    415,
                    "Unsupported media type",
                    "the Content-Type of file " + Excerpt.quoted(column) + ", " + Excerpt.quoted(contentType)
                            + ", is not a media type such as application/pdf (at most " + MediaTypes.MAX_LENGTH
                            + " characters); send the file's type, or none for application/octet-stream");
        }
        return contentType == null ? null : contentType.strip();
    }

    private Object[] record(TableDef table, MultiPart.Part part) throws IOException {
        // As the JSON routes, but for application/octet-stream: what a part says of bytes of no named type (curl -F
        // record=@rec.json, a browser's Blob without a type). Without a type (curl -F for a field) it is read as JSON.
        String type = part.getHeaders().get(HttpHeader.CONTENT_TYPE);
        String mediaType = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/octet-stream")) {
            BodyReader.requireJson(mediaType, "the 'record' part as application/json, or with no Content-Type");
        }
        String charset = type == null ? null : MimeTypes.getCharsetFromContentType(type);
        if (charset != null && !List.of("utf-8", "utf8").contains(charset.toLowerCase(Locale.ROOT))) {
            throw new HttpProblem(
                    415,
                    "Unsupported media type",
                    "the 'record' part declares charset " + Excerpt.quoted(charset) + "; send it in UTF-8");
        }
        String json;
        try {
            json = part.getContentAsString(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notUtf8) { // Jetty's Utf8IllegalArgumentException
            throw HttpProblem.badRequest("the 'record' part is not valid UTF-8; send the record's JSON in UTF-8");
        }
        try (JsonParser p = mapper.getFactory().createParser(json)) {
            p.nextToken();
            Object[] values = reader.read(p, table, 0);
            if (p.nextToken() != null) {
                throw new FileProblem(FileProblem.Reason.BAD_REQUEST, "the 'record' part must hold one JSON object");
            }
            return values;
        }
    }

    private static void closeAll(List<FileService.Upload> uploads, MultiPartFormData.Parts parts) {
        uploads.forEach(FileService.Upload::close);
        parts.close();
    }

    private byte[] createdJson(FileService.Committed c) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("written", 1);
            g.writeNumberField("sequence", c.commit().requestSequence());
            g.writeObjectFieldStart("files");
            for (Map.Entry<String, FileRef> e : c.files().entrySet()) {
                g.writeFieldName(e.getKey());
                RowJson.writeFile(g, e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private byte[] refJson(FileRef ref) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            RowJson.writeFile(g, ref);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static Reply json(int status, String body) {
        return Reply.json(status, body.getBytes(StandardCharsets.UTF_8));
    }

    private static CompletionStage<Reply> done(Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
