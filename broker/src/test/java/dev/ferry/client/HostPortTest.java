package dev.ferry.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HostPortTest {

    @Test
    void shouldParseHostAndPort() {
        assertEquals(new HostPort("broker.example.com", 9093), HostPort.parse(" broker.example.com:9093 "));
    }

    @Test
    void shouldParseAnIpv6HostInBrackets() {
        HostPort address = HostPort.parse("[::1]:9092");

        assertEquals(new HostPort("::1", 9092), address);
        assertEquals("[::1]:9092", address.toString());
    }

    @Test
    void shouldExplainWhatIsWrong() {
        assertEquals("'broker' is not of the form HOST:PORT",
                assertThrows(IllegalArgumentException.class, () -> HostPort.parse("broker")).getMessage());
        assertEquals("'broker:http' has no numeric port",
                assertThrows(IllegalArgumentException.class, () -> HostPort.parse("broker:http")).getMessage());
        assertEquals("'broker:70000' has a port outside 1-65535",
                assertThrows(IllegalArgumentException.class, () -> HostPort.parse("broker:70000")).getMessage());
        assertEquals("'::1:9092' has an IPv6 host without brackets; write [HOST]:PORT",
                assertThrows(IllegalArgumentException.class, () -> HostPort.parse("::1:9092")).getMessage());
    }
}
