package dev.ferry.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.client.ConsumerRecord;
import dev.ferry.client.TopicPartition;
import dev.ferry.protocol.record.Header;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordFormatTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static final ConsumerRecord RECORD = new ConsumerRecord(new TopicPartition("orders", 2), 41,
            1_700_000_000_123L, utf8("cust-7"), utf8("{\"total\": 12}"),
            List.of(new Header("source", utf8("web")), new Header("trace", null)));

    private static final ConsumerRecord BARE = new ConsumerRecord(new TopicPartition("orders", 0), 0, 5L, null, null,
            List.of());

    @Test
    void shouldPrintTheValueAloneByDefault() {
        assertEquals("{\"total\": 12}", RecordFormat.parse("%v").format(RECORD));
    }

    @Test
    void shouldFillEveryPlaceholder() {
        RecordFormat format = RecordFormat.parse("%T/%p@%o %t %k=%v [%h] 100%%");

        assertEquals("orders/2@41 1700000000123 cust-7={\"total\": 12} [source=web,trace=null] 100%",
                format.format(RECORD));
    }

    @Test
    void shouldTurnEscapesIntoTheirCharacters() {
        assertEquals("cust-7\t41\\\n", RecordFormat.parse("%k\\t%o\\\\\\n").format(RECORD));
    }

    @Test
    void shouldPrintNullKeysAndValuesAsNull() {
        assertEquals("null:null", RecordFormat.parse("%k:%v").format(BARE));
    }

    @Test
    void shouldPrintJsonLines() {
        assertEquals("{\"topic\":\"orders\",\"partition\":2,\"offset\":41,\"timestamp\":1700000000123,"
                + "\"key\":\"cust-7\",\"value\":\"{\\\"total\\\": 12}\",\"headers\":[{\"key\":\"source\","
                + "\"value\":\"web\"},{\"key\":\"trace\",\"value\":null}]}", RecordFormat.parse("json").format(RECORD));
        assertEquals("{\"topic\":\"orders\",\"partition\":0,\"offset\":0,\"timestamp\":5,\"key\":null,"
                + "\"value\":null,\"headers\":[]}", RecordFormat.parse("json").format(BARE));
    }

    @Test
    void shouldEscapeControlCharactersInJson() {
        StringBuilder out = new StringBuilder();
        RecordFormat.jsonString("a\"b\\c\nd\u0001", out);

        assertEquals("\"a\\\"b\\\\c\\nd\\u0001\"", out.toString());
    }

    @Test
    void shouldNameAnUnknownPlaceholder() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecordFormat.parse("%x"));
        assertEquals("unknown placeholder '%x' in the format (known: %v %k %p %o %t %T %h %%)", e.getMessage());
        assertEquals("the format ends with a lone '%'",
                assertThrows(IllegalArgumentException.class, () -> RecordFormat.parse("50%")).getMessage());
    }
}
