package dev.eider.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** What every target must do with objects written from memory (manifests, heads, claims). */
final class InMemoryObjects {

    private InMemoryObjects() {}

    /**
     * A create of {@code t/m.json} is conditional (created, then adopted, then refused for other content) and a put of
     * {@code t/_head.json} replaces it; both read back byte for byte. Answers the head's last content.
     */
    static byte[] assertCreatedOnceAndReplaced(ExportTarget target) {
        byte[] first = new byte[3000];
        new Random(2).nextBytes(first);
        byte[] second = "{\"a\": 2}".getBytes(StandardCharsets.UTF_8);

        assertThat(target.create("t/m.json", first, Sha256.of(first))).isEqualTo(ExportTarget.Outcome.CREATED);
        assertThat(target.create("t/m.json", first, Sha256.of(first))).isEqualTo(ExportTarget.Outcome.ADOPTED);
        assertThat(target.create("t/m.json", second, Sha256.of(second))).isEqualTo(ExportTarget.Outcome.CONFLICT);
        assertThat(target.read("t/m.json")).hasValue(first);

        target.put("t/_head.json", first, Sha256.of(first));
        target.put("t/_head.json", second, Sha256.of(second));
        assertThat(target.read("t/_head.json")).hasValue(second);
        return second;
    }
}
