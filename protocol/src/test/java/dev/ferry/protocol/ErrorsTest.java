package dev.ferry.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.errors.RetriableException;
import org.junit.jupiter.api.Test;

class ErrorsTest {

    @Test
    void shouldDefineExactlyTheErrorsTheKafkaClientKnows() {
        Set<String> ours = Arrays.stream(Errors.values()).map(Enum::name)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> kafka = Arrays.stream(org.apache.kafka.common.protocol.Errors.values()).map(Enum::name)
                .collect(Collectors.toCollection(TreeSet::new));

        assertEquals(kafka, ours);
    }

    @Test
    void shouldUseTheKafkaCodeForEveryError() {
        for (org.apache.kafka.common.protocol.Errors kafka : org.apache.kafka.common.protocol.Errors.values()) {
            assertEquals(kafka.code(), Errors.valueOf(kafka.name()).code(), kafka.name());
        }
    }

    @Test
    void shouldClassifyRetriableErrorsAsTheKafkaClientDoes() {
        for (org.apache.kafka.common.protocol.Errors kafka : org.apache.kafka.common.protocol.Errors.values()) {
            boolean kafkaRetries = kafka.exception() instanceof RetriableException;
            assertEquals(kafkaRetries, Errors.valueOf(kafka.name()).retriable(), kafka.name());
        }
    }

    @Test
    void shouldFindEveryErrorByItsCode() {
        for (Errors error : Errors.values()) {
            assertSame(error, Errors.forCode(error.code()));
        }
    }

    @Test
    void shouldMapUnknownCodesToUnknownServerError() {
        assertSame(Errors.UNKNOWN_SERVER_ERROR, Errors.forCode((short) -2));
        assertSame(Errors.UNKNOWN_SERVER_ERROR, Errors.forCode((short) 10_000));
        assertSame(Errors.UNKNOWN_SERVER_ERROR, Errors.forCode(Short.MIN_VALUE));
        assertSame(Errors.UNKNOWN_SERVER_ERROR, Errors.forCode(Short.MAX_VALUE));
    }

    @Test
    void shouldGiveEveryErrorADistinctMessage() {
        Set<String> messages = new TreeSet<>();
        for (Errors error : Errors.values()) {
            assertFalse(error.message().isBlank(), error.name());
            messages.add(error.message());
        }
        assertEquals(Errors.values().length, messages.size());
    }
}
