package dev.ferry.broker.tenant;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * What the registry's two file formats share: length-prefixed strings and byte fields, and a trailing CRC-32C over
 * every byte before it, checked before anything else is read.
 */
final class RegistryFiles {

    private static final int CRC_LENGTH = 4;
    private static final int MAX_FIELD_LENGTH = 0xFFFF;

    private RegistryFiles() {
    }

    /** A growing buffer of big-endian fields. */
    static final class Writer {

        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(bytes);

        Writer writeInt(int value) {
            return write(() -> out.writeInt(value));
        }

        Writer writeLong(long value) {
            return write(() -> out.writeLong(value));
        }

        Writer writeByte(int value) {
            return write(() -> out.writeByte(value));
        }

        Writer writeString(String value) {
            return writeBytes(value.getBytes(StandardCharsets.UTF_8));
        }

        Writer writeBytes(byte[] value) {
            if (value.length > MAX_FIELD_LENGTH) {
                throw new IllegalArgumentException("a field of " + value.length + " bytes is longer than "
                        + MAX_FIELD_LENGTH);
            }
            return write(() -> {
                out.writeShort(value.length);
                out.write(value);
            });
        }

        /** The fields written so far followed by their CRC-32C. */
        byte[] toBytesWithChecksum() {
            byte[] body = bytes.toByteArray();
            byte[] result = new byte[body.length + CRC_LENGTH];
            System.arraycopy(body, 0, result, 0, body.length);
            ByteBuffer.wrap(result).putInt(body.length, checksum(body, body.length));
            return result;
        }

        private Writer write(IoAction action) {
            try {
                action.run();
            } catch (IOException e) {
                // a ByteArrayOutputStream never fails
                throw new UncheckedIOException(e);
            }
            return this;
        }

        private interface IoAction {
            void run() throws IOException;
        }
    }

    /**
     * A reader over the fields of a file whose checksum has been verified, positioned at {@code offset}; it ends
     * before the checksum.
     *
     * @throws IllegalStateException when the file is shorter than {@code minLength} or its checksum does not match
     */
    static Reader verifiedReader(byte[] content, int minLength, int offset, String source) {
        if (content.length < minLength) {
            throw new IllegalStateException(source + " is corrupt: only " + content.length + " bytes long");
        }
        int bodyLength = content.length - CRC_LENGTH;
        if (ByteBuffer.wrap(content).getInt(bodyLength) != checksum(content, bodyLength)) {
            throw new IllegalStateException(source + " is corrupt: its checksum does not match");
        }
        return new Reader(ByteBuffer.wrap(content, 0, bodyLength).position(offset), source);
    }

    /** Reads fields in order; every malformed field is an {@link IllegalStateException} naming the file. */
    static final class Reader {

        private final ByteBuffer buffer;
        private final String source;

        private Reader(ByteBuffer buffer, String source) {
            this.buffer = buffer;
            this.source = source;
        }

        int readInt() {
            try {
                return buffer.getInt();
            } catch (BufferUnderflowException e) {
                throw truncated();
            }
        }

        long readLong() {
            try {
                return buffer.getLong();
            } catch (BufferUnderflowException e) {
                throw truncated();
            }
        }

        int readByte() {
            try {
                return buffer.get();
            } catch (BufferUnderflowException e) {
                throw truncated();
            }
        }

        /** A count field: never negative, never more than the bytes left could hold. */
        int readCount() {
            int count = readInt();
            if (count < 0 || count > buffer.remaining()) {
                throw corrupt("a count of " + count + " does not fit the file");
            }
            return count;
        }

        byte[] readBytes() {
            try {
                int length = Short.toUnsignedInt(buffer.getShort());
                byte[] value = new byte[length];
                buffer.get(value);
                return value;
            } catch (BufferUnderflowException e) {
                throw truncated();
            }
        }

        String readString() {
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(readBytes()))
                        .toString();
            } catch (CharacterCodingException e) {
                throw corrupt("a string is not UTF-8");
            }
        }

        /** @throws IllegalStateException when bytes are left over before the checksum */
        void expectEnd() {
            if (buffer.hasRemaining()) {
                throw corrupt(buffer.remaining() + " unexpected bytes after the last entry");
            }
        }

        IllegalStateException corrupt(String what) {
            return new IllegalStateException(source + " is corrupt: " + what);
        }

        private IllegalStateException truncated() {
            return corrupt("it ends in the middle of an entry");
        }
    }

    /** The file's bytes, or null when there is no file. */
    static byte[] readIfExists(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static int checksum(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }
}
