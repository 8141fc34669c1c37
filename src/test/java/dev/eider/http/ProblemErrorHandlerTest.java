package dev.eider.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

/** Answers for requests that fail outside the routes: a server fault never shows its exception. */
class ProblemErrorHandlerTest {

    private final ProblemErrorHandler handler = new ProblemErrorHandler(new ProblemMapper(Json.mapper(32, 1 << 20)));

    @Test
    @SuppressWarnings("removal")
    void serverFault_saysNothingWasAcknowledgedAndHidesTheException() {
        ByteBuffer body =
                handler.badMessageError(500, "java.lang.OutOfMemoryError: Java heap space", HttpFields.build());

        assertThat(UTF_8.decode(body).toString())
                .contains("nothing in it was acknowledged")
                .doesNotContain("OutOfMemoryError");
    }

    @Test
    @SuppressWarnings("removal")
    void clientFault_jettysKnownReasonInWords_anyOtherKept() {
        ByteBuffer known = handler.badMessageError(400, "Bad URI", HttpFields.build());
        ByteBuffer other = handler.badMessageError(400, "Some reason Jetty may add", HttpFields.build());

        assertThat(UTF_8.decode(known).toString()).contains("percent-encode").doesNotContain("Bad URI");
        assertThat(UTF_8.decode(other).toString()).contains("Some reason Jetty may add");
    }
}
