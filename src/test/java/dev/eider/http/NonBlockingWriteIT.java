package dev.eider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eider.testing.Clients;
import dev.eider.testing.Http;
import dev.eider.testing.Jsons;
import dev.eider.testing.RunningEider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /record} and {@code PUT} of one record run on the thread that received them, with
 * their body read into memory first: bodies that arrive in pieces, too large, cut short or many at
 * once are answered as the streaming path answers them, and the writes need no request-pool thread.
 */
class NonBlockingWriteIT {

    private static final String ONE = "/v1/tables/records/records/";

    @TempDir
    Path dir;

    @Test
    void postRecord_bodyInTwoPacketsWithAPause_storedOnce() throws IOException {
        try (RunningEider eider = RunningEider.start(dir)) {
            byte[] body = "{\"id\": 1, \"value\": \"in two packets\"}".getBytes(StandardCharsets.UTF_8);
            try (Socket s = open(eider.http())) {
                send(s, head("POST", "/record", "Content-Length: " + body.length));
                send(s, Arrays.copyOfRange(body, 0, 10));
                assertThat(noAnswerYet(s))
                        .as("answered before the body was complete")
                        .isTrue();
                send(s, Arrays.copyOfRange(body, 10, body.length));
                assertThat(answer(s)).startsWith("HTTP/1.1 200");
            }
            assertThat(value(eider.http(), 1)).isEqualTo("in two packets");
        }
    }

    @Test
    void postRecord_chunkedBodyInSlowChunks_stored() throws IOException {
        try (RunningEider eider = RunningEider.start(dir)) {
            try (Socket s = open(eider.http())) {
                send(s, head("POST", "/record", "Transfer-Encoding: chunked"));
                send(s, chunk("{\"id\": 2, \"val"));
                assertThat(noAnswerYet(s)).isTrue();
                send(s, chunk("ue\": \"chunked\"}"));
                send(s, "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(answer(s)).startsWith("HTTP/1.1 200");
            }
            assertThat(value(eider.http(), 2)).isEqualTo("chunked");
        }
    }

    @Test
    void putRecord_bodyInTwoPackets_stored() throws IOException {
        try (RunningEider eider = RunningEider.start(dir)) {
            byte[] body = "{\"id\": 3, \"value\": \"put\"}".getBytes(StandardCharsets.UTF_8);
            try (Socket s = open(eider.http())) {
                send(s, head("PUT", ONE + 3, "Content-Length: " + body.length));
                send(s, Arrays.copyOfRange(body, 0, 5));
                assertThat(noAnswerYet(s)).isTrue();
                send(s, Arrays.copyOfRange(body, 5, body.length));
                assertThat(answer(s)).startsWith("HTTP/1.1 200");
            }
            assertThat(value(eider.http(), 3)).isEqualTo("put");
        }
    }

    @Test
    void postRecord_bodyLargerThanMaxBody_413AndNothingStored() {
        try (RunningEider eider = RunningEider.start(dir, "", Map.of("server.max_body", "100B"))) {
            Http http = eider.http();
            String big = "{\"id\": 4, \"value\": \"" + "x".repeat(200) + "\"}";

            HttpResponse<String> declared = http.post("/record", big);
            HttpResponse<String> chunked =
                    http.postChunked("/record", "application/json", big.getBytes(StandardCharsets.UTF_8));

            for (HttpResponse<String> r : List.of(declared, chunked)) {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
                assertThat(Jsons.parse(r.body()).path("detail").asText()).contains("limit of 100 bytes");
            }
            assertThat(http.get(ONE + 4).statusCode()).isEqualTo(404);
            assertThat(http.post("/record", "{\"id\": 5, \"value\": \"fits\"}").statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void postRecord_bodyLargerThanTheInMemoryLimit_streamedAndStored() {
        // A value larger than the in-memory limit is larger than the default server.max_value too.
        try (RunningEider eider = RunningEider.start(dir, "", Map.of("server.max_value", "64KB"))) {
            String value = "y".repeat(BodyBuffer.LIMIT * 2);
            HttpResponse<String> r = eider.http().post("/record", "{\"id\": 6, \"value\": \"" + value + "\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(value(eider.http(), 6)).isEqualTo(value);
        }
    }

    @Test
    void postRecord_clientClosesMidBody_nothingStoredAndServerServes() throws IOException {
        try (RunningEider eider = RunningEider.start(dir)) {
            Http http = eider.http();
            // A whole record, but fewer bytes than declared: stored only if the cut were taken for the end.
            byte[] body = "{\"id\": 7, \"value\": \"cut\"}".getBytes(StandardCharsets.UTF_8);
            try (Socket s = open(http)) {
                send(s, head("POST", "/record", "Content-Length: " + (body.length + 10)));
                send(s, body);
                assertThat(noAnswerYet(s)).isTrue();
            }

            await().atMost(Duration.ofSeconds(30)).until(() -> answered(http, "400") == 1);
            assertThat(http.get(ONE + 7).statusCode()).isEqualTo(404);
            assertThat(http.post("/record", "{\"id\": 8, \"value\": \"after\"}").statusCode())
                    .isEqualTo(200);
            assertThat(value(http, 8)).isEqualTo("after");
        }
    }

    @Test
    void postAndPut_manyConcurrentClients_everyRecordStored() {
        try (RunningEider eider = RunningEider.start(dir)) {
            int clients = 16;
            int each = 25;
            Clients.run(clients, c -> {
                Http http = eider.http();
                for (int i = 0; i < each; i++) {
                    int id = c * 1000 + i;
                    String body = "{\"id\": " + id + ", \"value\": \"v" + id + "\"}";
                    HttpResponse<String> r = i % 2 == 0 ? http.post("/record", body) : http.put(ONE + id, body);
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                }
            });

            Http http = eider.http();
            for (int c = 0; c < clients; c++) {
                for (int i = 0; i < each; i++) {
                    assertThat(value(http, c * 1000 + i)).isEqualTo("v" + (c * 1000 + i));
                }
            }
        }
    }

    @Test
    void postAndPut_expect100Continue_continueThenStored() throws IOException {
        try (RunningEider eider = RunningEider.start(dir)) {
            byte[] post = "{\"id\": 10, \"value\": \"after continue\"}".getBytes(StandardCharsets.UTF_8);
            byte[] put = "{\"id\": 11, \"value\": \"put after continue\"}".getBytes(StandardCharsets.UTF_8);
            for (String[] target : new String[][] {{"POST", "/record"}, {"PUT", ONE + 11}}) {
                byte[] body = target[0].equals("POST") ? post : put;
                try (Socket s = open(eider.http())) {
                    send(s, head(target[0], target[1], "Content-Length: " + body.length + "\r\nExpect: 100-continue"));
                    assertThat(line(s)).as(target[0]).isEqualTo("HTTP/1.1 100 Continue");
                    assertThat(line(s)).isEmpty();
                    send(s, body);
                    assertThat(answer(s)).as(target[0]).startsWith("HTTP/1.1 200");
                }
            }
            assertThat(value(eider.http(), 10)).isEqualTo("after continue");
            assertThat(value(eider.http(), 11)).isEqualTo("put after continue");
        }
    }

    @Test
    void postRecord_pipelinedWithOtherRequests_answeredInOrder() throws IOException {
        try (RunningEider eider = RunningEider.start(dir)) {
            byte[] first = "{\"id\": 12, \"value\": \"first\"}".getBytes(StandardCharsets.UTF_8);
            byte[] second = "{\"id\": 12, \"value\": \"second\"}".getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(keepAlive("POST", "/record", "Content-Length: " + first.length));
            all.writeBytes(first);
            all.writeBytes(keepAlive("PUT", ONE + 12, "Content-Length: " + second.length));
            all.writeBytes(second);
            all.writeBytes(keepAlive("GET", ONE + 12, ""));
            all.writeBytes(keepAlive("GET", "/health/live", ""));
            // Last: an answer of 4xx to a request with a body closes the connection.
            all.writeBytes(keepAlive("POST", "/record", "Content-Length: 2"));
            all.writeBytes("{}".getBytes(StandardCharsets.US_ASCII));
            try (Socket s = open(eider.http())) {
                // One write: every request is in the server's buffer before the first is answered.
                send(s, all.toByteArray());
                assertThat(answerOnKeptConnection(s)).startsWith("HTTP/1.1 200").contains("\"sequence\"");
                assertThat(answerOnKeptConnection(s)).startsWith("HTTP/1.1 200");
                assertThat(answerOnKeptConnection(s)).startsWith("HTTP/1.1 200").contains("second");
                assertThat(answerOnKeptConnection(s)).startsWith("HTTP/1.1 200");
                assertThat(answerOnKeptConnection(s)).startsWith("HTTP/1.1 422");
            }
        }
    }

    @Test
    void postRecord_emptyBodyOfDeclaredLengthZero_422() {
        try (RunningEider eider = RunningEider.start(dir)) {
            HttpResponse<String> r = eider.http().post("/record", "");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
            assertThat(r.body()).contains("the body is empty");
        }
    }

    /**
     * Every request-pool thread is held by a slow body on the streaming path; {@code POST /record}
     * on a connection opened before is still answered, while a request that needs the pool is not.
     * Handed to the pool, it would wait for those bodies to time out. (New connections need the pool
     * too: Jetty sets them up there.)
     */
    @Test
    void postRecord_everyPoolThreadHeldBySlowBodies_stillAnswered() throws IOException {
        try (RunningEider eider = RunningEider.start(dir, "", Map.of("ingest.memory_budget", "256MB"))) {
            Http http = eider.http();
            List<Socket> slow = new ArrayList<>();
            try (Socket kept = open(http)) {
                send(kept, keepAlive("GET", "/health/live", ""));
                assertThat(answerOnKeptConnection(kept)).startsWith("HTTP/1.1 200");
                // More slow bodies than the pool has threads (256): larger than the in-memory limit,
                // each is read by a pool thread that blocks waiting for the rest.
                for (int i = 0; i < 300; i++) {
                    Socket s = open(http);
                    slow.add(s);
                    send(s, head("POST", "/record", "Content-Length: " + BodyBuffer.LIMIT * 2));
                    send(s, "{".getBytes(StandardCharsets.US_ASCII));
                }
                Socket witness =
                        await().atMost(Duration.ofSeconds(20)).until(() -> unansweredProbe(http, slow), s -> s != null);

                byte[] body = "{\"id\": 9, \"value\": \"no pool\"}".getBytes(StandardCharsets.UTF_8);
                send(kept, keepAlive("POST", "/record", "Content-Length: " + body.length));
                send(kept, body);
                assertThat(answerOnKeptConnection(kept)).startsWith("HTTP/1.1 200");
                assertThat(noAnswerYet(witness)).as("the pool was free again").isTrue();
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
            }
            assertThat(value(http, 9)).isEqualTo("no pool");
        }
    }

    /** A {@code GET /health/live} (served on the pool) left unanswered, or null when it was answered. */
    private static Socket unansweredProbe(Http http, List<Socket> keep) throws IOException {
        Socket s = open(http);
        keep.add(s);
        send(s, head("GET", "/health/live", ""));
        return noAnswerYet(s) ? s : null;
    }

    /** How many {@code POST /record} were answered with {@code status}, as {@code /metrics} counts them. */
    private static long answered(Http http, String status) {
        return http.get("/metrics")
                .body()
                .lines()
                .filter(l -> l.startsWith("eider_requests_total{")
                        && l.contains("route=\"/record\"")
                        && l.contains("method=\"POST\"")
                        && l.contains("status=\"" + status + "\""))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static String value(Http http, int id) {
        HttpResponse<String> r = http.get(ONE + id);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Jsons.parse(r.body()).path("value").asText();
    }

    private static Socket open(Http http) throws IOException {
        Socket s = new Socket("127.0.0.1", http.port());
        s.setSoTimeout(30_000);
        return s;
    }

    private static byte[] head(String method, String target, String header) {
        return (method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                        + "Content-Type: application/json\r\n" + (header.isEmpty() ? "" : header + "\r\n") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] keepAlive(String method, String target, String header) {
        return (method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "Content-Type: application/json\r\n"
                        + (header.isEmpty() ? "" : header + "\r\n") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** The head and body of one answer on a connection that stays open (Eider sends Content-Length). */
    private static String answerOnKeptConnection(Socket s) throws IOException {
        String text = readThrough(s, "\r\n\r\n");
        int length = text.lines()
                .filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:"))
                .mapToInt(l -> Integer.parseInt(l.substring(l.indexOf(':') + 1).trim()))
                .findFirst()
                .orElseThrow(() -> new IOException("no Content-Length in " + text));
        return text + new String(s.getInputStream().readNBytes(length), StandardCharsets.UTF_8);
    }

    private static byte[] chunk(String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static void send(Socket s, byte[] bytes) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    /**
     * Whether nothing comes back for a moment: the server is still waiting. This is the pause between
     * packets, not a measurement; an answer that comes early fails the test.
     */
    private static boolean noAnswerYet(Socket s) throws IOException {
        int timeout = s.getSoTimeout();
        s.setSoTimeout(500);
        try {
            s.getInputStream().read();
            return false;
        } catch (SocketTimeoutException expected) {
            return true;
        } finally {
            s.setSoTimeout(timeout);
        }
    }

    /** One line of the answer, without its CRLF. */
    private static String line(Socket s) throws IOException {
        String text = readThrough(s, "\r\n");
        return text.substring(0, text.length() - 2);
    }

    /** The answer's bytes up to and including {@code end}, read one at a time so none past it is taken. */
    private static String readThrough(Socket s, String end) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        while (!read.toString(StandardCharsets.ISO_8859_1).endsWith(end)) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + read.toString(StandardCharsets.ISO_8859_1));
            }
            read.write(b);
        }
        return read.toString(StandardCharsets.ISO_8859_1);
    }

    /** The whole answer; every request here asks the server to close afterwards. */
    private static String answer(Socket s) {
        try {
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
