package dev.eider.files;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The Content-Digest header (RFC 9530): sha-256 is checked, anything unusable is refused in plain words. */
class ContentDigestTest {

    final byte[] body = "hello".getBytes(StandardCharsets.UTF_8);

    @Test
    void verify_matchingSha256_amongOtherAlgorithms_passes() throws Exception {
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(body);
        String header = "sha-512=:AAAA:, sha-256=:" + Base64.getEncoder().encodeToString(sha) + ":";
        assertThatCode(() -> ContentDigest.verify(header, sha)).doesNotThrowAnyException();
        assertThatCode(() -> ContentDigest.verify(null, sha)).doesNotThrowAnyException();
    }

    @Test
    void verify_mismatchOrMalformed_isABadRequest() throws Exception {
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(body);
        byte[] other = MessageDigest.getInstance("SHA-256").digest(new byte[1]);
        String wrong = "sha-256=:" + Base64.getEncoder().encodeToString(other) + ":";
        assertThatThrownBy(() -> ContentDigest.verify(wrong, sha))
                .isInstanceOf(FileProblem.class)
                .hasMessageContaining("nothing was stored");
        assertThatThrownBy(() -> ContentDigest.verify("md5=:abc:", sha)).hasMessageContaining("names no sha-256");
        assertThatThrownBy(() -> ContentDigest.verify("sha-256=abc", sha)).hasMessageContaining("byte sequence");
        assertThatThrownBy(() -> ContentDigest.verify("sha-256=:!!:", sha)).hasMessageContaining("base64");
    }
}
