package dev.eider.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which {@code Host} names a tokenless Eider on loopback serves: loopback's, and no name a page could own. */
class CrossSiteGuardTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "localhost",
                "localhost:8080",
                "LOCALHOST:1",
                "localhost.",
                "localhost.:65535",
                "app.localhost",
                "127.0.0.1",
                "127.0.0.1:8080",
                "127.255.0.9",
                "[::1]",
                "[::1]:8080"
            })
    void loopbackNames_areServed(String host) {
        assertThat(CrossSiteGuard.isLoopbackName(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "evil.example",
                "evil.example:8080",
                "localhost.evil.example",
                "127.0.0.1.evil.example",
                "localhostx",
                "10.0.0.1",
                "2130706433",
                "0x7f000001",
                "[::2]",
                "[::1]x",
                "localhost:",
                "localhost:1234567",
                "localhost:80a",
                "127.0.0.1@evil.example",
                ""
            })
    void otherNames_areNot(String host) {
        assertThat(CrossSiteGuard.isLoopbackName(host)).isFalse();
    }
}
