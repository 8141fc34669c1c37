package dev.eider.http;

import dev.eider.config.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.IdleTimeout;
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
     * Stopping, Jetty closes connections idle this long, counted from the stop ({@link #close()}). Every stop
     * waits this long for any idle keep-alive connection (3 s made each test server's stop, and so the suite,
     * minutes slower); a body still arriving may pause this long between bytes before it is cut (nothing of it
     * was acknowledged).
     */
    static final Duration SHUTDOWN_IDLE = Duration.ofSeconds(1);

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
        graceful.setHandler(new EiderHandler(
                router,
                auth,
                CrossSiteGuard.of(config),
                problems,
                config.maxBody().bytes(),
                listener,
                pool));
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
        // Jetty's shutdown idle timeout counts from each connection's last byte, so a body that paused
        // longer than it just before the stop would be cut (408) the moment the stop began: the pause
        // a body may take while stopping counts from the stop instead.
        for (EndPoint endPoint : connector.getConnectedEndPoints()) {
            if (endPoint instanceof IdleTimeout idle) {
                idle.notIdle();
            }
        }
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

    /**
     * Routes, authenticates and answers. It declares itself non-blocking, so Jetty calls it on the
     * thread that parsed the request (its selector) instead of handing every request to a pool
     * thread: a route flagged {@link Route#nonBlocking()} with a small body runs right there on that
     * body read into memory; every other request is handed to the pool here, where its endpoint may
     * block (streamed bodies, files, the database, {@code awaitVisible}) as before.
     */
    private static final class EiderHandler extends Handler.Abstract.NonBlocking {

        private final Router router;
        private final Authenticator auth;
        private final CrossSiteGuard guard;
        private final ProblemMapper problems;
        private final long maxBody;
        private final RequestListener listener;
        private final Executor pool;

        EiderHandler(
                Router router,
                Authenticator auth,
                CrossSiteGuard guard,
                ProblemMapper problems,
                long maxBody,
                RequestListener listener,
                Executor pool) {
            this.listener = listener;
            this.router = router;
            this.auth = auth;
            this.guard = guard;
            this.problems = problems;
            this.maxBody = maxBody;
            this.pool = pool;
        }

        /** One request on its way through the handler. */
        private record Call(Request request, Response response, Callback callback, long started) {}

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Call call = new Call(request, response, callback, System.nanoTime());
            String route = "unmatched";
            Router.Match m;
            try {
                m = router.match(request.getMethod(), request.getHttpURI().getPath());
                route = m.route().template();
                auth.check(
                        request.getHeaders().get(HttpHeader.AUTHORIZATION),
                        m.route().scope());
                guard.check(request.getMethod(), request.getHeaders());
                BodyReader.refuseTransferCoding(request.getHeaders().get(HttpHeader.TRANSFER_ENCODING));
            } catch (Exception | StackOverflowError | OutOfMemoryError e) {
                respond(call, route, null, e);
                return true;
            }
            if (m.route().nonBlocking() && BodyBuffer.fits(request, maxBody)) {
                BodyBuffer.read(request, body -> serve(call, m, body));
            } else {
                dispatch(call, m);
            }
            return true;
        }

        /** Hands a request whose endpoint may block to the pool, streaming its body. */
        private void dispatch(Call call, Router.Match m) {
            try {
                pool.execute(() -> serve(call, m, null));
            } catch (RejectedExecutionException e) {
                // Stopping: Jetty's error handler answers, as when Jetty itself could not dispatch.
                call.callback().failed(e);
            }
        }

        /** Runs the endpoint on {@code body} read into memory, or on the streamed body when null. */
        private void serve(Call call, Router.Match m, BodyBuffer.Body body) {
            String route = m.route().template();
            CompletionStage<Reply> answer;
            try {
                Exchange exchange = new Exchange(call.request(), m.params(), maxBody, body);
                if (m.route().checksQuery()) {
                    exchange.allowOnlyQuery(m.route().query());
                }
                answer = m.route().endpoint().handle(exchange);
            } catch (Exception | StackOverflowError | OutOfMemoryError e) {
                respond(call, route, null, e);
                return;
            }
            answer.whenComplete((reply, error) -> respond(call, route, reply, error));
        }

        /** Writes the answer or the problem; whatever fails on the way still completes Jetty's callback. */
        private void respond(Call call, String route, Reply reply, Throwable error) {
            try {
                Reply answer = error == null ? reply : problems.reply(error);
                // Counted before the client can see the answer: a scrape after it includes this request.
                tellListener(call.request().getMethod(), route, answer.status(), call.started());
                write(call.request(), call.response(), call.callback(), answer);
            } catch (Throwable e) {
                call.callback().failed(e);
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
