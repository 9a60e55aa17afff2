package dev.ferry.broker.group;

import dev.ferry.broker.group.ClassicGroupMember.Protocol;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The durable part of a classic group — generation, protocol, leader, and each member with its protocols and
 * assignment — as saved when a generation becomes Stable or the group Empty, and its byte encoding for the
 * offsets store.
 *
 * <pre>
 *   version:int8 (1) groupId:utf generation:int32 protocolType:nullable-utf protocolName:nullable-utf
 *   leader:nullable-utf memberCount:int32
 *   member*: memberId:utf instanceId:nullable-utf clientId:utf clientHost:utf rebalanceTimeoutMs:int32
 *            sessionTimeoutMs:int32 protocolCount:int32 (name:utf metadataLength:int32 metadata:bytes)*
 *            assignmentLength:int32 assignment:bytes
 * </pre>
 * A nullable-utf is a boolean presence flag followed by the string when present; utf is Java's modified UTF-8 of
 * {@link DataOutputStream#writeUTF}, which limits a string to 65,535 bytes (Kafka ids are far shorter).
 */
record ClassicGroupSnapshot(String groupId, int generationId, String protocolType, String protocolName,
                            String leaderId, List<Member> members) {

    private static final byte VERSION = 1;

    /** A member as saved. */
    record Member(String memberId, String groupInstanceId, String clientId, String clientHost, int rebalanceTimeoutMs,
                  int sessionTimeoutMs, List<Protocol> protocols, byte[] assignment) {
    }

    static ClassicGroupSnapshot of(ClassicGroup group) {
        List<Member> members = new ArrayList<>();
        for (ClassicGroupMember member : group.members()) {
            members.add(new Member(member.memberId(), member.groupInstanceId(), member.clientId(),
                    member.clientHost(), member.rebalanceTimeoutMs(), member.sessionTimeoutMs(), member.protocols(),
                    member.assignment()));
        }
        return new ClassicGroupSnapshot(group.groupId(), group.generationId(), group.protocolType(),
                group.protocolName(), group.leaderId(), members);
    }

    /** The group this snapshot describes: Stable with its members, or Empty without. */
    ClassicGroup toGroup(long nowMs) {
        ClassicGroup group = new ClassicGroup(groupId, nowMs);
        for (Member saved : members) {
            ClassicGroupMember member = new ClassicGroupMember(saved.memberId(), saved.groupInstanceId(),
                    saved.clientId(), saved.clientHost(), saved.rebalanceTimeoutMs(), saved.sessionTimeoutMs(),
                    protocolType, saved.protocols());
            member.setAssignment(saved.assignment());
            group.add(member, null);
        }
        group.restore(generationId, protocolType, protocolName, members.isEmpty() ? null : leaderId,
                members.isEmpty() ? ClassicGroupState.EMPTY : ClassicGroupState.STABLE, nowMs);
        return group;
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(groupId);
            out.writeInt(generationId);
            writeNullable(out, protocolType);
            writeNullable(out, protocolName);
            writeNullable(out, leaderId);
            out.writeInt(members.size());
            for (Member member : members) {
                out.writeUTF(member.memberId());
                writeNullable(out, member.groupInstanceId());
                out.writeUTF(member.clientId());
                out.writeUTF(member.clientHost());
                out.writeInt(member.rebalanceTimeoutMs());
                out.writeInt(member.sessionTimeoutMs());
                out.writeInt(member.protocols().size());
                for (Protocol protocol : member.protocols()) {
                    out.writeUTF(protocol.name());
                    writeBytes(out, protocol.metadata());
                }
                writeBytes(out, member.assignment());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes what {@link #encode()} wrote.
     *
     * @throws IllegalArgumentException when the bytes are not a snapshot of a known version
     */
    static ClassicGroupSnapshot decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("Unknown classic group snapshot version " + version);
            }
            String groupId = in.readUTF();
            int generationId = in.readInt();
            String protocolType = readNullable(in);
            String protocolName = readNullable(in);
            String leaderId = readNullable(in);
            int memberCount = in.readInt();
            List<Member> members = new ArrayList<>();
            for (int i = 0; i < memberCount; i++) {
                String memberId = in.readUTF();
                String instanceId = readNullable(in);
                String clientId = in.readUTF();
                String clientHost = in.readUTF();
                int rebalanceTimeoutMs = in.readInt();
                int sessionTimeoutMs = in.readInt();
                int protocolCount = in.readInt();
                List<Protocol> protocols = new ArrayList<>();
                for (int p = 0; p < protocolCount; p++) {
                    protocols.add(new Protocol(in.readUTF(), readBytes(in)));
                }
                members.add(new Member(memberId, instanceId, clientId, clientHost, rebalanceTimeoutMs,
                        sessionTimeoutMs, protocols, readBytes(in)));
            }
            if (in.available() != 0) {
                throw new IllegalArgumentException("Trailing bytes after the classic group snapshot of " + groupId);
            }
            return new ClassicGroupSnapshot(groupId, generationId, protocolType, protocolName, leaderId, members);
        } catch (IOException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("Malformed classic group snapshot", e);
        }
    }

    private static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length > in.available()) {
            throw new IOException("Length " + length + " exceeds the remaining " + in.available() + " bytes");
        }
        byte[] value = new byte[length];
        in.readFully(value);
        return value;
    }
}
