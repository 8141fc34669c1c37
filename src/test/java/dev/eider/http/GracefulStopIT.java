package dev.eider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eider.testing.Jsons;
import dev.eider.testing.RunningEider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping the service answers the requests in flight before it closes their connections. */
class GracefulStopIT {

    @TempDir
    Path dir;

    @Test
    void close_withARequestInFlight_answersItAndKeepsItsWrite() throws Exception {
        answersAcrossStop(Duration.ZERO);
    }

    /**
     * Jetty measures its shutdown idle timeout from a connection's last byte: a body that paused
     * longer than that just before the stop was cut the moment the stop began (408), though its
     * client was about to send the rest. The pause a body may take while stopping counts from the stop.
     */
    @Test
    void close_afterTheBodyPausedLongerThanTheShutdownIdleTimeout_answersIt() throws Exception {
        answersAcrossStop(HttpServer.SHUTDOWN_IDLE.multipliedBy(2));
    }

    /** A body that stops arriving does not hold the stop: it is cut (408) after the shutdown idle timeout. */
    @Test
    void close_withABodyThatStopsArriving_cutsIt() throws Exception {
        RunningEider eider = RunningEider.start(dir);
        try (Socket socket = new Socket("127.0.0.1", eider.port())) {
            OutputStream out = socket.getOutputStream();
            startChunkedPost(out, "{\"id\":43,");
            await().until(() -> eider.http().get("/health/live").statusCode() == 200);

            CompletableFuture<Void> closed = CompletableFuture.runAsync(eider::close);

            assertThat(statusLine(socket)).isEqualTo("HTTP/1.1 408 Request Timeout");
            closed.get();
        }
    }

    /**
     * Starts a chunked {@code POST /record}, pauses {@code pause}, stops the service while the body
     * keeps arriving, finishes the body, and expects 200 and the record kept across a restart.
     */
    private void answersAcrossStop(Duration pause) throws Exception {
        RunningEider eider = RunningEider.start(dir);
        int port = eider.port();
        String body = "{\"id\":42,\"value\":\"in flight\"}";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            startChunkedPost(out, body.substring(0, 9));
            await().until(() -> eider.http().get("/health/live").statusCode() == 200);
            if (!pause.isZero()) {
                // A pause on the client's side, longer than the server's shutdown idle timeout.
                await().pollDelay(pause).atMost(pause.plusSeconds(10)).until(() -> true);
            }

            CompletableFuture<Void> closed = CompletableFuture.runAsync(eider::close);
            // Whitespace between JSON tokens keeps the body arriving until the server stops accepting.
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        chunk(out, " ");
                        return refusesConnections(port);
                    });
            chunk(out, body.substring(9));
            chunk(out, "");
            assertThat(statusLine(socket)).isEqualTo("HTTP/1.1 200 OK");
            closed.get();
        }
        try (RunningEider again = RunningEider.start(dir)) {
            assertThat(Jsons.parse(again.http()
                                    .get("/v1/tables/records/records/42")
                                    .body())
                            .path("value")
                            .asText())
                    .isEqualTo("in flight");
        }
    }

    /** Sends the head of a chunked {@code POST /record} and {@code first} as its first chunk. */
    private static void startChunkedPost(OutputStream out, String first) throws IOException {
        out.write(("POST /record HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        chunk(out, first);
    }

    private static String statusLine(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }

    /** Sends {@code data} as one chunk of a chunked body (the empty chunk ends the body). */
    private static void chunk(OutputStream out, String data) throws IOException {
        out.write((Integer.toHexString(data.length()) + "\r\n" + data + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static boolean refusesConnections(int port) {
        try {
            new Socket("127.0.0.1", port).close();
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
