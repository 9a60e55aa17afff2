package dev.ferry.protocol.generator.spec;

import java.util.Locale;

/**
 * The type of a field: a primitive, a struct named in the spec, or an array of either. Immutable.
 *
 * @param kind        what the type is
 * @param elementType the element type of an array, null otherwise
 * @param structName  the struct's name for a struct type, null otherwise
 */
public record FieldType(Kind kind, FieldType elementType, String structName) {
    /** The kinds of types the specs use. */
    public enum Kind {
        INT8, INT16, UINT16, INT32, UINT32, INT64, FLOAT64, BOOL, STRING, BYTES, UUID, RECORDS, ARRAY, STRUCT;

        /** Primitives of a fixed wire width (everything from int8 to uuid but string and bytes). */
        public boolean isFixedWidth() {
            return fixedWidth() > 0;
        }

        /** The wire width in bytes of a fixed-width kind, 0 for the others. */
        public int fixedWidth() {
            return switch (this) {
                case INT8, BOOL -> 1;
                case INT16, UINT16 -> 2;
                case INT32, UINT32 -> 4;
                case INT64, FLOAT64 -> 8;
                case UUID -> 16;
                default -> 0;
            };
        }
    }

    public static FieldType parse(String text) {
        if (text.startsWith("[]")) {
            FieldType element = parse(text.substring(2));
            if (element.kind == Kind.ARRAY || element.kind == Kind.RECORDS || element.kind == Kind.BYTES) {
                throw new IllegalArgumentException("Unsupported array element type in " + text);
            }
            return new FieldType(Kind.ARRAY, element, null);
        }
        return switch (text) {
            case "int8" -> primitive(Kind.INT8);
            case "int16" -> primitive(Kind.INT16);
            case "uint16" -> primitive(Kind.UINT16);
            case "int32" -> primitive(Kind.INT32);
            case "uint32" -> primitive(Kind.UINT32);
            case "int64" -> primitive(Kind.INT64);
            case "float64" -> primitive(Kind.FLOAT64);
            case "bool" -> primitive(Kind.BOOL);
            case "string" -> primitive(Kind.STRING);
            case "bytes" -> primitive(Kind.BYTES);
            case "uuid" -> primitive(Kind.UUID);
            case "records" -> primitive(Kind.RECORDS);
            default -> {
                if (text.isEmpty() || !Character.isUpperCase(text.charAt(0))) {
                    throw new IllegalArgumentException("Unknown field type " + text);
                }
                yield new FieldType(Kind.STRUCT, null, text);
            }
        };
    }

    private static FieldType primitive(Kind kind) {
        return new FieldType(kind, null, null);
    }

    public boolean isArray() {
        return kind == Kind.ARRAY;
    }

    public boolean isStruct() {
        return kind == Kind.STRUCT;
    }

    /** True for a struct or an array of structs: the types whose field may define the struct inline. */
    public boolean refersToStruct() {
        return isStruct() || (isArray() && elementType.isStruct());
    }

    /** The struct this type names, directly or as array element; null when none. */
    public String referencedStruct() {
        return isArray() ? elementType.structName : structName;
    }

    /** Whether a field of this type may be null on the wire. */
    public boolean canBeNullable() {
        return switch (kind) {
            case STRING, BYTES, RECORDS, ARRAY, STRUCT -> true;
            default -> false;
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case ARRAY -> "[]" + elementType;
            case STRUCT -> structName;
            default -> kind.name().toLowerCase(Locale.ROOT);
        };
    }
}
