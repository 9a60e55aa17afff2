package dev.ferry.broker.handler;

import static dev.ferry.broker.handler.DataPlaneApisFixture.context;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.broker.tenant.Role;
import dev.ferry.protocol.Errors;
import dev.ferry.protocol.message.ApiMessageType;
import dev.ferry.protocol.message.OffsetForLeaderEpochRequestData;
import dev.ferry.protocol.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import dev.ferry.protocol.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import dev.ferry.protocol.message.OffsetForLeaderEpochResponseData;
import dev.ferry.protocol.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetForLeaderEpochHandlerTest {

    private static final String TOPIC = "audit";

    @TempDir
    Path dir;

    @Test
    void shouldEndEpochZeroAtTheLogEnd() {
        try (DataPlaneApisFixture fixture = withThreeRecords()) {
            EpochEndOffset result = endOffset(fixture, TOPIC, 0, -1, 0);

            assertEquals(Errors.NONE.code(), result.errorCode());
            assertEquals(0, result.leaderEpoch());
            assertEquals(3, result.endOffset());
        }
    }

    @Test
    void shouldAnswerUndefinedForUnknownAndUndefinedEpochs() {
        try (DataPlaneApisFixture fixture = withThreeRecords()) {
            for (int epoch : new int[] {1, 7, -1}) {
                EpochEndOffset result = endOffset(fixture, TOPIC, 0, -1, epoch);

                assertEquals(Errors.NONE.code(), result.errorCode(), "epoch " + epoch);
                assertEquals(-1, result.leaderEpoch(), "epoch " + epoch);
                assertEquals(-1, result.endOffset(), "epoch " + epoch);
            }
        }
    }

    @Test
    void shouldAnswerTheLogStartForAnEpochOlderThanAnyKnown() {
        try (DataPlaneApisFixture fixture = withThreeRecords()) {
            fixture.log(TOPIC, 0).deleteRecordsBefore(1);

            EpochEndOffset result = endOffset(fixture, TOPIC, 0, -1, -3);

            assertEquals(Errors.NONE.code(), result.errorCode());
            assertEquals(-3, result.leaderEpoch());
            assertEquals(1, result.endOffset());
        }
    }

    @Test
    void shouldCheckTheCurrentLeaderEpoch() {
        try (DataPlaneApisFixture fixture = withThreeRecords()) {
            assertEquals(Errors.NONE.code(), endOffset(fixture, TOPIC, 0, 0, 0).errorCode());
            assertEquals(Errors.UNKNOWN_LEADER_EPOCH.code(), endOffset(fixture, TOPIC, 0, 1, 0).errorCode());
            assertEquals(Errors.FENCED_LEADER_EPOCH.code(), endOffset(fixture, TOPIC, 0, -2, 0).errorCode());
        }
    }

    @Test
    void shouldAnswerUnknownTopicOrPartition() {
        try (DataPlaneApisFixture fixture = withThreeRecords()) {
            EpochEndOffset unknownTopic = endOffset(fixture, "missing", 0, -1, 0);
            EpochEndOffset unknownPartition = endOffset(fixture, TOPIC, 5, -1, 0);

            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), unknownTopic.errorCode());
            assertEquals(-1, unknownTopic.endOffset());
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), unknownPartition.errorCode());
            assertEquals(5, unknownPartition.partition());
        }
    }

    @Test
    void shouldRefuseATenantAnotherApplicationsTopicAndAnswerItsOwn() {
        try (DataPlaneApisFixture fixture = withThreeRecords()) {
            fixture.createTopic("acme.events", 1);
            fixture.produce("acme.events", 0, fixture.batch("a"));
            OffsetForLeaderEpochRequestData request = new OffsetForLeaderEpochRequestData().setReplicaId(-1)
                    .setTopics(new ArrayList<>(List.of(topic("acme.events"), topic(TOPIC))));

            OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochHandler(fixture.topics())
                    .handle(context(ApiMessageType.OFFSET_FOR_LEADER_EPOCH, 4, TopicsFixture.acme(Role.CONSUME)),
                            request).join();

            EpochEndOffset mine = response.topics().get(0).partitions().get(0);
            assertEquals(Errors.NONE.code(), mine.errorCode());
            assertEquals(1, mine.endOffset());
            EpochEndOffset refused = response.topics().get(1).partitions().get(0);
            assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), refused.errorCode());
            assertEquals(-1, refused.leaderEpoch());
            assertEquals(-1, refused.endOffset());
        }
    }

    private static OffsetForLeaderTopic topic(String name) {
        return new OffsetForLeaderTopic().setTopic(name).setPartitions(new ArrayList<>(List.of(
                new OffsetForLeaderPartition().setPartition(0).setCurrentLeaderEpoch(-1).setLeaderEpoch(0))));
    }

    private DataPlaneApisFixture withThreeRecords() {
        DataPlaneApisFixture fixture = new DataPlaneApisFixture(dir);
        fixture.createTopic(TOPIC, 1);
        fixture.produce(TOPIC, 0, fixture.batch("a", "b", "c"));
        return fixture;
    }

    private static EpochEndOffset endOffset(DataPlaneApisFixture fixture, String topic, int partition,
                                            int currentLeaderEpoch, int leaderEpoch) {
        OffsetForLeaderEpochRequestData request = new OffsetForLeaderEpochRequestData().setReplicaId(-1)
                .setTopics(new ArrayList<>(List.of(new OffsetForLeaderTopic().setTopic(topic)
                        .setPartitions(new ArrayList<>(List.of(new OffsetForLeaderPartition().setPartition(partition)
                                .setCurrentLeaderEpoch(currentLeaderEpoch).setLeaderEpoch(leaderEpoch)))))));
        return new OffsetForLeaderEpochHandler(fixture.topics())
                .handle(context(ApiMessageType.OFFSET_FOR_LEADER_EPOCH, 4), request).join()
                .topics().get(0).partitions().get(0);
    }
}
