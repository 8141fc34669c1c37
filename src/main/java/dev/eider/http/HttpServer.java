package dev.eider.http;

import dev.eider.config.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Eider's HTTP server: Jetty 12's core handler API (no servlet layer), one handler that routes,
 * authenticates and writes answers, with every failure mapped by {@link ProblemMapper}.
 */
public final class HttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    /**
     * How long stopping waits for requests in flight, including those waiting for their group
     * commit, to be answered.
     */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    /**
     * Stopping, Jetty closes connections idle this long. Every stop waits this long for any idle keep-alive
     * connection (3 s made each test server's stop, and so the suite, minutes slower); a body still arriving
     * may pause this long between bytes before it is cut (nothing of it was acknowledged).
     */
    private static final Duration SHUTDOWN_IDLE = Duration.ofSeconds(1);

    private final Server server;
    private final ServerConnector connector;

    public HttpServer(ServerConfig config, Router router, Authenticator auth, ProblemMapper problems) {
        this(config, router, auth, problems, RequestListener.NONE);
    }

    public HttpServer(
            ServerConfig config, Router router, Authenticator auth, ProblemMapper problems, RequestListener listener) {
        QueuedThreadPool pool = new QueuedThreadPool(256, 8);
        pool.setName("eider-http");
        server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        // Keys may hold '/', '%' and '\': the router splits the raw path and decodes each segment
        // itself, and no path names a file, so these encodings are not ambiguous here.
        http.setUriCompliance(UriCompliance.DEFAULT.with(
                "eider",
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
                UriCompliance.Violation.SUSPICIOUS_PATH_CHARACTERS));
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setAcceptQueueSize(1024);
        connector.setShutdownIdleTimeout(SHUTDOWN_IDLE.toMillis());
        server.addConnector(connector);
        // Graceful: at stop, the connector stops accepting and requests in flight are answered first.
        GracefulHandler graceful = new GracefulHandler();
        graceful.setHandler(
                new EiderHandler(router, auth, problems, config.maxBody().bytes(), listener));
        server.setHandler(graceful);
        server.setStopTimeout(STOP_TIMEOUT.toMillis());
        server.setErrorHandler(new ProblemErrorHandler(problems));
    }

    public void start() throws Exception {
        server.start();
    }

    /** The bound port (useful when configured as 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** Stops accepting connections and waits for requests in flight to be answered. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the HTTP server cleanly", e);
        }
    }

    /** Streams a file's bytes in small buffers as the client takes them; the stream is closed either way. */
    private static void writeStream(Response response, Callback callback, Reply.Streamed body) {
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length());
        InputStream in = body.in();
        Content.copy(Content.Source.from(in), response, Callback.from(callback, () -> closeQuietly(in)));
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // The answer is complete or failed already; a stream that fails to close holds nothing.
        }
    }

    private static final class EiderHandler extends Handler.Abstract {

        private final Router router;
        private final Authenticator auth;
        private final ProblemMapper problems;
        private final long maxBody;
        private final RequestListener listener;

        EiderHandler(
                Router router, Authenticator auth, ProblemMapper problems, long maxBody, RequestListener listener) {
            this.listener = listener;
            this.router = router;
            this.auth = auth;
            this.problems = problems;
            this.maxBody = maxBody;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            long started = System.nanoTime();
            CompletionStage<Reply> answer;
            String route = "unmatched";
            try {
                Router.Match m =
                        router.match(request.getMethod(), request.getHttpURI().getPath());
                route = m.route().template();
                auth.check(
                        request.getHeaders().get(HttpHeader.AUTHORIZATION),
                        m.route().scope());
                answer = m.route().endpoint().handle(new Exchange(request, m.params(), maxBody));
            } catch (Exception | StackOverflowError | OutOfMemoryError e) {
                respond(request, response, callback, route, started, null, e);
                return true;
            }
            String matched = route;
            answer.whenComplete((reply, error) -> respond(request, response, callback, matched, started, reply, error));
            return true;
        }

        /** Writes the answer or the problem; whatever fails on the way still completes Jetty's callback. */
        private void respond(
                Request request,
                Response response,
                Callback callback,
                String route,
                long started,
                Reply reply,
                Throwable error) {
            try {
                Reply answer = error == null ? reply : problems.reply(error);
                // Counted before the client can see the answer: a scrape after it includes this request.
                tellListener(request.getMethod(), route, answer.status(), started);
                write(request, response, callback, answer);
            } catch (Throwable e) {
                callback.failed(e);
            }
        }

        /** Tells the request listener (metrics); its failure is logged, never the request's. */
        private void tellListener(String method, String route, int status, long started) {
            try {
                listener.answered(method, route, status, Duration.ofNanos(System.nanoTime() - started));
            } catch (RuntimeException e) {
                log.atWarn()
                        .addKeyValue("event", "request_listener_failed")
                        .setCause(e)
                        .log("the request listener failed; the answer stands");
            }
        }

        private static void write(Request request, Response response, Callback callback, Reply reply) {
            boolean hasBody = request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
            if (reply.status() >= 400 && hasBody) {
                // The body may be unread: close rather than leave the client to reuse a connection
                // that Jetty closes when it cannot skip the rest of that body.
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
            }
            response.setStatus(reply.status());
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
            reply.headers().forEach((k, v) -> response.getHeaders().put(k, v));
            if (reply.stream() != null) {
                writeStream(response, callback, reply.stream());
                return;
            }
            response.write(true, ByteBuffer.wrap(reply.body()), callback);
        }
    }
}
