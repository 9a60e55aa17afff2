package dev.ferry.protocol.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.protocol.ApiMessage;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.FetchResponseData.FetchableTopicResponse;
import dev.ferry.protocol.message.FetchResponseData.PartitionData;
import dev.ferry.protocol.message.ProduceResponseData.PartitionProduceResponse;
import dev.ferry.protocol.message.ProduceResponseData.TopicProduceResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The generated error-code walk of responses ({@code forEachErrorCode}): it must visit exactly the error codes a
 * response carries on the wire at its version. The oracle is kafka-clients: the same bytes parsed by Kafka's own
 * message classes, whose {@code errorCode} and {@code *ErrorCode} getters are read reflectively at every depth.
 */
class ErrorCodeWalkTest {
    private static final long[] SEEDS = {7L, 20240301L};

    @TestFactory
    Stream<DynamicTest> shouldVisitTheErrorCodesKafkaReadsForEveryResponseVersion() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ApiMessageType type : ApiMessageType.values()) {
            org.apache.kafka.common.message.ApiMessageType kafkaType =
                org.apache.kafka.common.message.ApiMessageType.fromApiKey(type.apiKey());
            for (short version = type.lowestSupportedVersion(); version <= type.highestSupportedVersion(); version++) {
                short v = version;
                for (long seed : SEEDS) {
                    tests.add(DynamicTest.dynamicTest(type + " response v" + v + " seed " + seed, () -> {
                        ApiMessage response = new MessageRandomizer(seed).response(type.apiKey(), v);
                        org.apache.kafka.common.protocol.ApiMessage kafka = kafkaType.newResponse();
                        kafka.read(new ByteBufferAccessor(ByteBuffer.wrap(write(response, v))), v);
                        List<Short> expected = new ArrayList<>();
                        kafkaErrorCodes(kafka, expected);
                        List<Short> visited = new ArrayList<>();
                        type.forEachErrorCode(response, v, code -> visited.add((short) code));
                        // Kafka's getters answer 0 for fields the version lacks, which the walk skips: compare the
                        // codes that are set (random, so almost never 0)
                        assertEquals(expected.stream().filter(code -> code != 0).sorted().toList(),
                            visited.stream().filter(code -> code != 0).sorted().toList());
                    }));
                }
            }
        }
        return tests.stream();
    }

    @Test
    void shouldVisitEveryPartitionsErrorCodeInWireOrder() {
        ProduceResponseData response = new ProduceResponseData();
        response.responses().add(new TopicProduceResponse().setName("a")
            .setPartitionResponses(List.of(
                new PartitionProduceResponse().setIndex(0).setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code()),
                new PartitionProduceResponse().setIndex(1).setErrorCode(Errors.NONE.code()))));
        response.responses().add(new TopicProduceResponse().setName("b")
            .setPartitionResponses(List.of(
                new PartitionProduceResponse().setIndex(0).setErrorCode(Errors.CORRUPT_MESSAGE.code()))));
        List<Integer> visited = new ArrayList<>();

        ApiMessageType.PRODUCE.forEachErrorCode(response, (short) 9, visited::add);

        assertEquals(List.of((int) Errors.NOT_LEADER_OR_FOLLOWER.code(), 0, (int) Errors.CORRUPT_MESSAGE.code()),
            visited);
    }

    @Test
    void shouldSkipErrorCodesTheVersionDoesNotCarry() {
        // the top-level error code of Fetch exists from version 7 on; the partitions' codes in every version
        FetchResponseData response = new FetchResponseData().setErrorCode(Errors.FETCH_SESSION_ID_NOT_FOUND.code());
        response.responses().add(new FetchableTopicResponse().setTopic("t")
            .setPartitions(List.of(new PartitionData().setErrorCode(Errors.OFFSET_OUT_OF_RANGE.code()))));
        List<Integer> atSix = new ArrayList<>();
        List<Integer> atSeven = new ArrayList<>();

        ApiMessageType.FETCH.forEachErrorCode(response, (short) 6, atSix::add);
        ApiMessageType.FETCH.forEachErrorCode(response, (short) 7, atSeven::add);

        assertEquals(List.of((int) Errors.OFFSET_OUT_OF_RANGE.code()), atSix);
        assertEquals(List.of((int) Errors.FETCH_SESSION_ID_NOT_FOUND.code(), (int) Errors.OFFSET_OUT_OF_RANGE.code()),
            atSeven);
    }

    @Test
    void shouldRefuseAMessageThatIsNotTheApisResponse() {
        assertThrows(ClassCastException.class,
            () -> ApiMessageType.PRODUCE.forEachErrorCode(new ProduceRequestData(), (short) 9, code -> { }));
        assertThrows(ClassCastException.class,
            () -> ApiMessageType.PRODUCE.forEachErrorCode(new FetchResponseData(), (short) 9, code -> { }));
    }

    /** Every {@code *ErrorCode} getter's value in a Kafka message and the messages within it. */
    private static void kafkaErrorCodes(Object message, List<Short> codes) throws ReflectiveOperationException {
        for (Method method : message.getClass().getMethods()) {
            if (method.getParameterCount() != 0 || Modifier.isStatic(method.getModifiers())
                || method.getName().equals("duplicate")) {
                // duplicate() returns a copy, which would recurse forever
                continue;
            }
            Class<?> type = method.getReturnType();
            String name = method.getName();
            if (type == short.class && (name.equals("errorCode") || name.endsWith("ErrorCode"))) {
                codes.add((Short) invoke(method, message));
            } else if (org.apache.kafka.common.protocol.Message.class.isAssignableFrom(type)) {
                Object nested = invoke(method, message);
                if (nested != null) {
                    kafkaErrorCodes(nested, codes);
                }
            } else if (Collection.class.isAssignableFrom(type)) {
                Collection<?> elements = (Collection<?>) invoke(method, message);
                if (elements != null) {
                    for (Object element : elements) {
                        if (element instanceof org.apache.kafka.common.protocol.Message) {
                            kafkaErrorCodes(element, codes);
                        }
                    }
                }
            }
        }
    }

    private static Object invoke(Method method, Object target) throws ReflectiveOperationException {
        try {
            return method.invoke(target);
        } catch (InvocationTargetException e) {
            throw new AssertionError(method + " failed", e.getCause());
        }
    }

    private static byte[] write(ApiMessage message, short version) {
        ByteBuf out = Unpooled.buffer();
        try {
            message.write(out, version);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }
}
