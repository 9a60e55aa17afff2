package dev.ferry.protocol.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every generated message (requests, responses, headers and the consumer protocol's embedded messages) at every
 * version must be byte-for-byte what kafka-clients' own generated classes read and write: populated messages are
 * written by Ferry, parsed and rewritten by Kafka, and parsed back by Ferry.
 */
class MessageRoundTripTest {
    private static final long[] SEEDS = {1L, 42L, 20240229L};

    @TestFactory
    Stream<DynamicTest> shouldMatchKafkaBytesForEveryRequestAndResponseVersion() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ApiMessageType type : ApiMessageType.values()) {
            org.apache.kafka.common.message.ApiMessageType kafkaType =
                org.apache.kafka.common.message.ApiMessageType.fromApiKey(type.apiKey());
            for (short version = type.lowestSupportedVersion(); version <= type.highestSupportedVersion(); version++) {
                short v = version;
                for (long seed : SEEDS) {
                    tests.add(DynamicTest.dynamicTest(type + " request v" + v + " seed " + seed, () ->
                        assertRoundTrip(new MessageRandomizer(seed).request(type.apiKey(), v), type::newRequest,
                            kafkaType.newRequest(), v)));
                    tests.add(DynamicTest.dynamicTest(type + " response v" + v + " seed " + seed, () ->
                        assertRoundTrip(new MessageRandomizer(seed).response(type.apiKey(), v), type::newResponse,
                            kafkaType.newResponse(), v)));
                }
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> shouldMatchKafkaBytesForEveryHeaderVersion() {
        List<DynamicTest> tests = new ArrayList<>();
        for (long seed : SEEDS) {
            for (short version = RequestHeaderData.LOWEST_SUPPORTED_VERSION;
                 version <= RequestHeaderData.HIGHEST_SUPPORTED_VERSION; version++) {
                short v = version;
                tests.add(DynamicTest.dynamicTest("RequestHeader v" + v + " seed " + seed, () ->
                    assertRoundTrip(new MessageRandomizer(seed).requestHeader(v), RequestHeaderData::new,
                        new org.apache.kafka.common.message.RequestHeaderData(), v)));
            }
            for (short version = ResponseHeaderData.LOWEST_SUPPORTED_VERSION;
                 version <= ResponseHeaderData.HIGHEST_SUPPORTED_VERSION; version++) {
                short v = version;
                tests.add(DynamicTest.dynamicTest("ResponseHeader v" + v + " seed " + seed, () ->
                    assertRoundTrip(new MessageRandomizer(seed).responseHeader(v), ResponseHeaderData::new,
                        new org.apache.kafka.common.message.ResponseHeaderData(), v)));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> shouldMatchKafkaBytesForEveryConsumerProtocolVersion() {
        List<DynamicTest> tests = new ArrayList<>();
        for (long seed : SEEDS) {
            for (short version = ConsumerProtocolSubscriptionData.LOWEST_SUPPORTED_VERSION;
                 version <= ConsumerProtocolSubscriptionData.HIGHEST_SUPPORTED_VERSION; version++) {
                short v = version;
                tests.add(DynamicTest.dynamicTest("ConsumerProtocolSubscription v" + v + " seed " + seed, () ->
                    assertRoundTrip(new MessageRandomizer(seed).consumerProtocolSubscription(v),
                        ConsumerProtocolSubscriptionData::new,
                        new org.apache.kafka.common.message.ConsumerProtocolSubscription(), v)));
            }
            for (short version = ConsumerProtocolAssignmentData.LOWEST_SUPPORTED_VERSION;
                 version <= ConsumerProtocolAssignmentData.HIGHEST_SUPPORTED_VERSION; version++) {
                short v = version;
                tests.add(DynamicTest.dynamicTest("ConsumerProtocolAssignment v" + v + " seed " + seed, () ->
                    assertRoundTrip(new MessageRandomizer(seed).consumerProtocolAssignment(v),
                        ConsumerProtocolAssignmentData::new,
                        new org.apache.kafka.common.message.ConsumerProtocolAssignment(), v)));
            }
        }
        return tests.stream();
    }

    private static void assertRoundTrip(Message original, Supplier<? extends Message> ours,
                                        org.apache.kafka.common.protocol.Message kafka, short version) {
        byte[] ourBytes = write(original, version);
        assertEquals(original.size(version), ourBytes.length, "size() must equal the bytes written");

        ByteBufferAccessor kafkaInput = new ByteBufferAccessor(ByteBuffer.wrap(ourBytes));
        kafka.read(kafkaInput, version);
        assertEquals(0, kafkaInput.remaining(), "Kafka must consume every byte Ferry wrote");
        ByteBuffer kafkaOutput = MessageUtil.toByteBufferAccessor(kafka, version).buffer();
        byte[] kafkaBytes = new byte[kafkaOutput.remaining()];
        kafkaOutput.get(kafkaBytes);
        assertArrayEquals(ourBytes, kafkaBytes, "Kafka must rewrite Ferry's bytes unchanged");

        ByteBuf input = Unpooled.wrappedBuffer(kafkaBytes);
        try {
            Message parsed = ours.get();
            parsed.read(input, version);
            assertEquals(0, input.readableBytes(), "Ferry must consume every byte Kafka wrote");
            assertEquals(original, parsed);
            assertEquals(original.hashCode(), parsed.hashCode());
        } finally {
            input.release();
        }
    }

    private static byte[] write(Message message, short version) {
        ByteBuf out = Unpooled.buffer();
        try {
            message.write(out, version);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }
}
