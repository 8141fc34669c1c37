package dev.eider.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MediaTypesTest {

    @Test
    void typesRealClientsSend_areWellFormed() {
        assertThat(java.util.List.of(
                        "application/pdf",
                        "application/octet-stream",
                        "TEXT/PLAIN;charset=UTF-8",
                        "text/plain; charset=\"utf-8\"",
                        "text/plain;",
                        "text/plain;charset=UTF-8;",
                        "image/svg+xml",
                        "application/x-*weird",
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                        "text/plain; name=\"a \\\"quoted\\\" name\""))
                .allSatisfy(t -> assertThat(MediaTypes.wellFormed(t)).as(t).isTrue());
    }

    @Test
    void pathsWordsControlsAndHugeValues_areNot() {
        // A new-user trial stored "../../x" as a file's type and had it served back.
        assertThat(java.util.List.of(
                        "../../x",
                        "pdf please",
                        "application",
                        "text/",
                        "/plain",
                        "text/plain\r\nX-Injected: 1",
                        "text/plain; name=\"\u0085\"",
                        "text/plain; name=\"\u2028\"",
                        "text/plain; charset=",
                        "*/*",
                        "image/*",
                        "image/*; q=0.8",
                        "application/" + "x".repeat(MediaTypes.MAX_LENGTH)))
                .allSatisfy(t -> assertThat(MediaTypes.wellFormed(t)).as(t).isFalse());
    }
}
