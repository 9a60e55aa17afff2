package dev.ferry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ListenerTest {

    @Test
    void shouldParseNameHostAndPort() {
        assertEquals(new Listener("PLAINTEXT", "127.0.0.1", 9092), Listener.parse("PLAINTEXT://127.0.0.1:9092"));
        assertEquals(new Listener("PLAINTEXT", "broker-1.example.com", 19092),
                Listener.parse("PLAINTEXT://broker-1.example.com:19092"));
    }

    @Test
    void shouldUpperCaseTheListenerNameAsKafkaDoes() {
        assertEquals("CLIENT_1", Listener.parse("client_1://localhost:9092").name());
    }

    @Test
    void shouldReadAnEmptyHostAsEveryInterface() {
        Listener listener = Listener.parse("PLAINTEXT://:9092");
        assertEquals("", listener.host());
        assertTrue(listener.bindsAllInterfaces());
        assertEquals("PLAINTEXT://:9092", listener.spec());
    }

    @Test
    void shouldParseBracketedIpv6AndWriteItBackInBrackets() {
        Listener listener = Listener.parse("PLAINTEXT://[::1]:9093");
        assertEquals("::1", listener.host());
        assertEquals(9093, listener.port());
        assertFalse(listener.bindsAllInterfaces());
        assertEquals("PLAINTEXT://[::1]:9093", listener.spec());
        assertTrue(Listener.parse("PLAINTEXT://[::]:9093").bindsAllInterfaces());
        assertEquals("fe80::1%eth0", Listener.parse("PLAINTEXT://[fe80::1%eth0]:1").host());
    }

    @Test
    void shouldAcceptPortZeroForAnEphemeralPort() {
        assertEquals(0, Listener.parse("PLAINTEXT://127.0.0.1:0").port());
        assertEquals(65535, Listener.parse("PLAINTEXT://127.0.0.1:65535").port());
    }

    @Test
    void shouldTrimSurroundingBlanks() {
        assertEquals(new Listener("PLAINTEXT", "localhost", 1), Listener.parse("  PLAINTEXT://localhost:1 "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost:9092", "PLAINTEXT://localhost", "PLAINTEXT://localhost:", "://host:1",
        "PLAINTEXT://::1:9092", "PLAINTEXT://[]:9092", "PLAINTEXT://host:-1", "PLAINTEXT://host:abc",
        "PLAIN TEXT://host:1", "PLAINTEXT:/host:1", "PLAINTEXT://host:1/path", "PLAINTEXT://host:123456"})
    void shouldRejectMalformedSpecsNamingThem(String spec) {
        ConfigException e = assertThrows(ConfigException.class, () -> Listener.parse(spec));
        assertTrue(e.getMessage().contains("'" + spec.trim() + "'"), e.getMessage());
    }

    @Test
    void shouldRejectPortsAbove65535() {
        ConfigException e = assertThrows(ConfigException.class, () -> Listener.parse("PLAINTEXT://host:65536"));
        assertTrue(e.getMessage().contains("65536"), e.getMessage());
    }

    @Test
    void shouldRejectInvalidComponentsWhenConstructedDirectly() {
        assertThrows(IllegalArgumentException.class, () -> new Listener("plaintext", "h", 1));
        assertThrows(IllegalArgumentException.class, () -> new Listener("PLAINTEXT", null, 1));
        assertThrows(IllegalArgumentException.class, () -> new Listener("PLAINTEXT", "h", 70000));
    }
}
