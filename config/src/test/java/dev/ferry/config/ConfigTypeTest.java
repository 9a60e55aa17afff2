package dev.ferry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigTypeTest {

    @Test
    void shouldTrimAndParseNumbers() {
        assertEquals(42, ConfigType.INT.parse(" 42 "));
        assertEquals(-7L, ConfigType.LONG.parse("-7"));
        assertEquals(0.25, ConfigType.DOUBLE.parse("0.25"));
    }

    @Test
    void shouldRejectNumbersOutOfTheirTypeWithKafkasMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigType.INT.parse("2147483648"));
        assertEquals("Not a number of type INT", e.getMessage());
        assertEquals("Not a number of type LONG",
                assertThrows(IllegalArgumentException.class, () -> ConfigType.LONG.parse("1.5")).getMessage());
        assertEquals("Not a number of type DOUBLE",
                assertThrows(IllegalArgumentException.class, () -> ConfigType.DOUBLE.parse("abc")).getMessage());
    }

    @Test
    void shouldParseBooleansInAnyCaseOnly() {
        assertEquals(true, ConfigType.BOOLEAN.parse("TRUE"));
        assertEquals(false, ConfigType.BOOLEAN.parse(" false"));
        assertEquals("Expected value to be either true or false",
                assertThrows(IllegalArgumentException.class, () -> ConfigType.BOOLEAN.parse("yes")).getMessage());
    }

    @Test
    void shouldSplitListsOnCommasIgnoringBlanksAroundThem() {
        assertEquals(List.of("a", "b", "c"), ConfigType.LIST.parse(" a , b,c "));
        assertEquals(List.of(), ConfigType.LIST.parse("  "));
        assertEquals(List.of("a", "", "b"), ConfigType.LIST.parse("a,,b"));
        assertEquals("a,b", ConfigType.LIST.format(List.of("a", "b")));
    }

    @Test
    void shouldCarryDescribeConfigsWireCodes() {
        assertEquals(1, ConfigType.BOOLEAN.id());
        assertEquals(2, ConfigType.STRING.id());
        assertEquals(3, ConfigType.INT.id());
        assertEquals(5, ConfigType.LONG.id());
        assertEquals(6, ConfigType.DOUBLE.id());
        assertEquals(7, ConfigType.LIST.id());
    }
}
