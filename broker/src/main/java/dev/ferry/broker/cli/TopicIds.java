package dev.ferry.broker.cli;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.UUID;

/** Topic ids as Kafka prints them: the 16 bytes in URL-safe base64 without padding, e.g. 3nVu4XH9QSqE4IrsdnXP9A. */
final class TopicIds {

    private TopicIds() {
    }

    static String format(UUID id) {
        byte[] bytes = ByteBuffer.allocate(16).putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits()).array();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
