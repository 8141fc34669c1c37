package dev.eider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The parser's complaints as a client reads them: what is wrong and what to write instead, not the parser's terms. */
class JsonErrorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "{\"id\":1,\"value\":\"x\"} trailing | 'trailing' is not a JSON value",
                "{\"id\":1,\"value\":True}            | 'True' is not a JSON value",
                "{\"id\":1,\"value\":\"x\"            | the body ends before",
                "[{\"id\":1}                          | the body ends before the array's closing ]",
                "{\"value\":\"a\\q\"}                 | \\q is not a JSON escape",
                "{\"value\":\"a\u0001\"}              | control character 1 unescaped; write it as \\u0001",
                "[1,\u001f2]                          | control character 31 between values",
                "{\"id\":1,,}                         | unexpected ','",
                "{\"id\":1/*c*/}                      | JSON has no comments",
                "{\"id\":-,\"value\":\"x\"}              | a minus sign must be followed by a digit",
                "{\"value\":\"\\u12\"}                  | a \\u escape takes four hex digits",
                "{\"id\":01}                          | a number starts with a zero",
                "{\"id\":1}}                          | '}' closes nothing",
            })
    void reason_ofCommonMistakes_isPlainWords(String body, String expected) {
        JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class, () -> read(body));

        String reason = JsonErrors.reason(e);

        assertThat(reason).contains(expected.trim());
        assertThat(reason)
                .doesNotContain("was expecting (JSON String")
                .doesNotContain("CTRL-CHAR")
                .doesNotContain("code 113")
                .doesNotContain("end-of-input")
                .doesNotContain("Feature")
                .doesNotContain("numeric value")
                .doesNotContain("close marker");
    }

    private static void read(String body) throws java.io.IOException {
        // Reads to the end, as Eider does: content after the first value is an error too.
        try (var parser = JSON.getFactory().createParser(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            while (parser.nextToken() != null) {
                // every token
            }
        }
    }
}
