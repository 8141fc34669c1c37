package dev.eider.http;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the requests Jetty refuses before they reach a route (a malformed request line or URI,
 * bad headers) with problem+json like every other error, instead of Jetty's HTML page.
 */
final class ProblemErrorHandler extends ErrorHandler {

    private final ProblemMapper problems;

    ProblemErrorHandler(ProblemMapper problems) {
        this.problems = problems;
    }

    /** Every method gets a problem body; Jetty's default answers only GET, POST and HEAD with one. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected boolean generateAcceptableResponse(
            Request request,
            Response response,
            Callback callback,
            String contentType,
            List<Charset> charsets,
            int code,
            String message,
            Throwable cause) {
        Reply reply = reply(code, message);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
        response.write(true, ByteBuffer.wrap(reply.body()), callback);
        return true;
    }

    // Deprecated for removal in Jetty 12.1, yet still what it calls for a request it cannot parse.
    @SuppressWarnings("removal")
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        Reply reply = reply(status, reason);
        fields.put(HttpHeader.CONTENT_TYPE, reply.contentType());
        return ByteBuffer.wrap(reply.body());
    }

    private Reply reply(int status, String message) {
        // A server fault's message is an exception's (an OutOfMemoryError, say): log matter, not an answer.
        String detail = status == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505
                ? "the request's HTTP version is not served here: send HTTP/1.1 (or HTTP/2)"
                : status >= 500
                        ? "the server failed to handle the request; nothing in it was acknowledged"
                        : message == null || message.isBlank()
                                ? "the request is malformed"
                                : ProblemMapper.plainReason(message);
        return problems.reply(Problem.of(status, HttpStatus.getMessage(status), detail));
    }
}
