package dev.ferry.protocol.generator.spec;

import java.util.List;

/**
 * A struct: the top level of a message, a common struct, or a struct defined inline by a field. Immutable.
 *
 * @param name   the struct's name, which is also its generated class's simple name
 * @param fields its fields in wire order
 */
public record StructSpec(String name, List<FieldSpec> fields) {
}
