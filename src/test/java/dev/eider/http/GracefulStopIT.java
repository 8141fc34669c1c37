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
        RunningEider eider = RunningEider.start(dir);
        int port = eider.port();
        String body = "{\"id\":42,\"value\":\"in flight\"}";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /record HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + body.length() + "\r\n\r\n" + body.substring(0, 10))
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().until(() -> eider.http().get("/health/live").statusCode() == 200);

            CompletableFuture<Void> closed = CompletableFuture.runAsync(eider::close);
            await().atMost(Duration.ofSeconds(30)).until(() -> refusesConnections(port));
            out.write(body.substring(10).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();

            assertThat(status).isEqualTo("HTTP/1.1 200 OK");
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
