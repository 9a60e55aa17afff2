package dev.ferry.protocol.generator.emit;

import java.util.Comparator;
import java.util.List;

/**
 * Picks out the tagged fields of a struct in ascending tag order, the order the wire requires. Stateless.
 */
final class TaggedFields {
    private TaggedFields() {
    }

    static List<FieldCode> inTagOrder(List<FieldCode> fields) {
        return fields.stream()
            .filter(field -> field.spec().isTagged())
            .sorted(Comparator.comparingInt(field -> field.spec().tag()))
            .toList();
    }
}
