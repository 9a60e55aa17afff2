package dev.ferry.protocol.generator.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JavaNamesTest {

    @Test
    void shouldLowerTheFirstLetterForGetters() {
        assertEquals("timeoutMs", JavaNames.fieldName("TimeoutMs"));
        assertEquals("topicData", JavaNames.fieldName("TopicData"));
        assertEquals("setTimeoutMs", JavaNames.setterName("TimeoutMs"));
    }

    @Test
    void shouldAppendUnderscoreToKeywordsAndObjectOrMessageMethods() {
        assertEquals("class_", JavaNames.fieldName("Class"));
        assertEquals("default_", JavaNames.fieldName("Default"));
        assertEquals("hashCode_", JavaNames.fieldName("HashCode"));
        assertEquals("apiKey_", JavaNames.fieldName("ApiKey"));
        assertEquals("setClass", JavaNames.setterName("Class"));
    }

    @Test
    void shouldBuildKafkaStyleConstantNames() {
        assertEquals("PRODUCE", JavaNames.upperSnake("Produce"));
        assertEquals("OFFSET_FOR_LEADER_EPOCH", JavaNames.upperSnake("OffsetForLeaderEpoch"));
        assertEquals("API_VERSIONS", JavaNames.upperSnake("ApiVersions"));
        assertEquals("KRAFT_VERSION", JavaNames.upperSnake("KRaftVersion"));
    }
}
