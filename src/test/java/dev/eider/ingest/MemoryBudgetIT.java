package dev.eider.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eider.testing.ChildEider;
import dev.eider.testing.Clients;
import dev.eider.testing.Http;
import dev.eider.testing.Jsons;
import dev.eider.testing.RawHttp;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many values of the largest allowed size, in one request and in many at once, against the
 * packaged service on the launcher's own heap ({@code -Xmx160m}): every answer is 200, 413 or 503
 * (with Retry-After), never an OutOfMemoryError, and the service serves normally afterwards.
 */
class MemoryBudgetIT {

    /** Just under the default {@code server.max_value}, 16KB. */
    private static final int VALUE_CHARS = 16_000;

    @TempDir
    Path dir;

    private ChildEider eider;

    @BeforeEach
    void start() {
        eider = ChildEider.serve(dir, Map.of(), ChildEider.launcherJvmOptions());
    }

    @AfterEach
    void stop() {
        eider.close();
    }

    @Test
    void post_manyLargestValues_answersWithoutServerErrorsAndStillServes() {
        Set<Integer> statuses = ConcurrentHashMap.newKeySet();
        Http http = eider.http();

        // 136MB in one array, close to the whole heap, is over server.max_body: refused on its declared
        // length before a byte is read. The client waits for that answer (Expect: 100-continue) and
        // never sends the body; one that sends on regardless may lose the 413 to the reset of a
        // connection closed under its unread upload. (Raw: JDK 17's HttpClient never returns when
        // a final answer comes instead of 100 Continue.)
        RawHttp.Answer refused = RawHttp.send(
                eider.port(),
                "POST",
                "/v1/tables/records/records",
                Map.of(
                        "Content-Type", "application/json",
                        "Content-Length", Long.toString(arrayLength(8_400, big('v').length())),
                        "Expect", "100-continue"),
                null);
        assertThat(refused.status()).as(refused.text()).isEqualTo(413);
        Clients.run(
                4,
                c -> statuses.add(
                        postArray(eider.http(), 10_000 + c * 2_000, 1_600).statusCode()));
        Clients.run(16, c -> {
            Http client = eider.http();
            for (int i = 0; i < 8; i++) {
                HttpResponse<String> r =
                        client.post("/record", "{\"id\":" + (50_000 + c * 10 + i) + ",\"value\":\"" + big('r') + "\"}");
                statuses.add(r.statusCode());
                if (r.statusCode() == 503) {
                    assertThat(r.headers().firstValue("Retry-After")).isPresent();
                }
            }
        });

        assertThat(statuses).as(eider.log()).isSubsetOf(200, 413, 503).contains(200);
        assertThat(http.post("/record", "{\"id\":999999,\"value\":\"after\"}").statusCode())
                .isEqualTo(200);
        // The applier may still be merging the large rows; a read waits for them (503 after 30 s).
        await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
            HttpResponse<String> read = http.get("/v1/tables/records/records/999999");
            assertThat(Jsons.parse(read.body()).path("value").asText())
                    .as(read.body())
                    .isEqualTo("after");
        });
        assertThat(http.get("/health/ready").statusCode()).isEqualTo(200);
        assertThat(eider.isAlive()).isTrue();
        assertThat(eider.log()).doesNotContain("OutOfMemoryError");
    }

    /** A JSON array of {@code count} records with values of the largest size, streamed with its length. */
    private static HttpResponse<String> postArray(Http http, int firstId, int count) {
        byte[] value = big('v').getBytes(StandardCharsets.UTF_8);
        long length = 2; // [ and ]
        for (int i = 0; i < count; i++) {
            length += head(firstId + i, i).length + value.length + 2;
        }
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> arrayStream(firstId, count, value)), length);
        return http.send(http.request("/v1/tables/records/records")
                .header("Content-Type", "application/json")
                .POST(body));
    }

    /** The length of such an array, roughly: enough to be over or under a limit by far. */
    private static long arrayLength(int count, int valueLength) {
        return 2 + (long) count * (valueLength + 32);
    }

    private static InputStream arrayStream(int firstId, int count, byte[] value) {
        var parts = IntStream.range(0, count)
                .mapToObj(i -> new SequenceInputStream(
                        new ByteArrayInputStream(head(firstId + i, i)),
                        new SequenceInputStream(
                                new ByteArrayInputStream(value), new ByteArrayInputStream("\"}".getBytes()))))
                .map(InputStream.class::cast)
                .toList();
        return new SequenceInputStream(
                new ByteArrayInputStream("[".getBytes()),
                new SequenceInputStream(
                        new SequenceInputStream(Collections.enumeration(parts)),
                        new ByteArrayInputStream("]".getBytes())));
    }

    private static byte[] head(int id, int index) {
        return ((index == 0 ? "" : ",") + "{\"id\":" + id + ",\"value\":\"").getBytes(StandardCharsets.UTF_8);
    }

    private static String big(char c) {
        return String.valueOf(c).repeat(VALUE_CHARS);
    }
}
