package dev.ferry.protocol;

import dev.ferry.protocol.message.ConsumerProtocolAssignmentData;
import dev.ferry.protocol.message.ConsumerProtocolSubscriptionData;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Objects;

/**
 * Reads and writes the consumer protocol's embedded messages: the subscription a consumer puts in its JoinGroup
 * protocol metadata and the assignment the group leader puts in SyncGroup, when the protocol type is
 * {@value #PROTOCOL_TYPE}.
 *
 * <p>Both travel as opaque bytes laid out as:
 * <pre>
 *   0                   1
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-------------------------------+
 *  |        version (int16)        | struct at that version ...    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-------------------------------+
 * </pre>
 * Like Kafka, a version above the highest one known is read at the highest known version, relying on newer versions
 * only appending fields; the bytes of those unknown trailing fields are ignored. Writing at a version above the
 * highest known writes the highest known, prefix included.
 *
 * <p>Stateless and thread-safe; the messages passed in and returned are not.
 */
public final class ConsumerProtocol {
    /** The JoinGroup protocol type of groups that use this embedded protocol. */
    public static final String PROTOCOL_TYPE = "consumer";

    private static final int VERSION_BYTES = Short.BYTES;

    private ConsumerProtocol() {
    }

    /**
     * Reads a subscription from a consumer's JoinGroup protocol metadata.
     *
     * @throws ProtocolException if the bytes are truncated or malformed, or the version is below the lowest known
     */
    public static ConsumerProtocolSubscriptionData readSubscription(byte[] bytes) {
        ConsumerProtocolSubscriptionData subscription = new ConsumerProtocolSubscriptionData();
        read(bytes, subscription, "subscription");
        return subscription;
    }

    /**
     * Writes {@code subscription} at {@code version}, or at the highest known version when {@code version} is above
     * it, prefixed with the version written.
     *
     * @throws ProtocolException if {@code version} is below the lowest known or the subscription cannot be written
     *                           at it
     */
    public static byte[] writeSubscription(ConsumerProtocolSubscriptionData subscription, short version) {
        return write(subscription, version, "subscription");
    }

    /**
     * Reads an assignment from a SyncGroup assignment.
     *
     * @throws ProtocolException if the bytes are truncated or malformed (an empty array included), or the version is
     *                           below the lowest known
     */
    public static ConsumerProtocolAssignmentData readAssignment(byte[] bytes) {
        ConsumerProtocolAssignmentData assignment = new ConsumerProtocolAssignmentData();
        read(bytes, assignment, "assignment");
        return assignment;
    }

    /**
     * Writes {@code assignment} at {@code version}, or at the highest known version when {@code version} is above
     * it, prefixed with the version written.
     *
     * @throws ProtocolException if {@code version} is below the lowest known or the assignment cannot be written at
     *                           it
     */
    public static byte[] writeAssignment(ConsumerProtocolAssignmentData assignment, short version) {
        return write(assignment, version, "assignment");
    }

    private static void read(byte[] bytes, Message message, String what) {
        Objects.requireNonNull(bytes, "bytes");
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        try {
            message.read(in, knownVersion(WireReader.readInt16(in), message));
        } catch (ProtocolException e) {
            throw new ProtocolException("Malformed consumer protocol " + what + ": " + e.getMessage(), e);
        } finally {
            in.release();
        }
    }

    private static byte[] write(Message message, short version, String what) {
        short written = knownVersion(version, message);
        byte[] bytes = new byte[VERSION_BYTES + message.size(written)];
        // write straight into the result array: size() is exact, so no copy is needed
        ByteBuf out = Unpooled.wrappedBuffer(bytes).writerIndex(0);
        try {
            out.writeShort(written);
            message.write(out, written);
            if (out.writerIndex() != bytes.length) {
                throw new IllegalStateException("Wrote " + out.writerIndex() + " bytes of a consumer protocol " + what
                    + " sized at " + bytes.length);
            }
            return bytes;
        } finally {
            out.release();
        }
    }

    // a version below the lowest is left for the message's own version check to reject
    private static short knownVersion(short version, Message message) {
        return (short) Math.min(version, message.highestSupportedVersion());
    }
}
