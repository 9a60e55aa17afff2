package dev.ferry.protocol.generator.emit;

import dev.ferry.protocol.generator.spec.FieldSpec;
import dev.ferry.protocol.generator.spec.FieldType;
import dev.ferry.protocol.generator.spec.FieldType.Kind;

/**
 * The Java fragments for one field: its type, default, default test, and how its value is read, written and sized.
 * Fragments use the locals {@code in}, {@code out}, {@code version}, {@code flexible} and {@code recordsWriter} of
 * the generated methods. Immutable.
 */
final class FieldCode {
    private final MessageContext context;
    private final FieldSpec field;
    private final String name;

    FieldCode(MessageContext context, FieldSpec field) {
        this.context = context;
        this.field = field;
        this.name = JavaNames.fieldName(field.name());
    }

    FieldSpec spec() {
        return field;
    }

    /** The getter and private field name. */
    String name() {
        return name;
    }

    /** The field as accessed inside generated methods. */
    String ref() {
        return "this." + name;
    }

    String javaType() {
        return javaType(field.type());
    }

    static String javaType(FieldType type) {
        return switch (type.kind()) {
            case INT8 -> "byte";
            case INT16 -> "short";
            case UINT16, INT32 -> "int";
            case UINT32, INT64 -> "long";
            case FLOAT64 -> "double";
            case BOOL -> "boolean";
            case STRING -> "String";
            case BYTES -> "byte[]";
            case UUID -> "UUID";
            case RECORDS -> "Records";
            case ARRAY -> "List<" + boxedType(type.elementType()) + ">";
            case STRUCT -> type.structName();
        };
    }

    static String boxedType(FieldType type) {
        return switch (type.kind()) {
            case INT8 -> "Byte";
            case INT16 -> "Short";
            case UINT16, INT32 -> "Integer";
            case UINT32, INT64 -> "Long";
            case FLOAT64 -> "Double";
            case BOOL -> "Boolean";
            default -> javaType(type);
        };
    }

    /** Whether the Java type is a primitive, compared with {@code ==}. */
    boolean isPrimitive() {
        Kind kind = field.type().kind();
        return kind.isFixedWidth() && kind != Kind.UUID;
    }

    /** The expression for the field's default value. */
    String defaultValue() {
        return DefaultValues.expression(field);
    }

    /** A parenthesised expression that is true when {@code value} differs from the field's default. */
    String differsFromDefault(String value) {
        FieldType type = field.type();
        if (field.defaultsToNull()) {
            return "(" + value + " != null)";
        }
        return switch (type.kind()) {
            case FLOAT64 -> "(Double.compare(" + value + ", " + defaultValue() + ") != 0)";
            case STRING, UUID -> "(!" + defaultValue() + ".equals(" + value + "))";
            case BYTES -> "(" + value + " == null || " + value + ".length != 0)";
            case RECORDS -> "(" + value + " != null)";
            case ARRAY -> "(" + value + " == null || !" + value + ".isEmpty())";
            case STRUCT -> "(!" + defaultConstant() + ".equals(" + value + "))";
            default -> "(" + value + " != " + defaultValue() + ")";
        };
    }

    /** Whether comparing with the default needs a private constant holding a default struct. */
    boolean needsDefaultConstant() {
        return field.type().isStruct() && !field.defaultsToNull();
    }

    /** The name of the constant holding this struct field's default instance. */
    String defaultConstant() {
        return "DEFAULT_" + JavaNames.upperSnake(field.name());
    }

    /** The expression for whether the field is encoded compactly at {@code version}. */
    String compact() {
        if (field.flexibleVersions() != null) {
            return context.condition(field.flexibleVersions().intersect(context.spec().flexibleVersions()));
        }
        String flexible = context.flexibleCondition();
        return flexible.equals(MessageContext.TRUE) || flexible.equals(MessageContext.FALSE) ? flexible : "flexible";
    }

    /** The expression for whether the field may be null at {@code version}. */
    String nullable() {
        return context.condition(field.nullableVersions());
    }

    /** Emits statements assigning the field's value read from {@code in}. */
    void emitRead(CodeBuffer code) {
        FieldType type = field.type();
        if (type.isArray()) {
            code.line("%s = %s(in, version, %s);", ref(), methodName("read"), compact());
        } else if (type.isStruct()) {
            String create = "new " + type.structName() + "(in, version)";
            String nullable = nullable();
            if (nullable.equals(MessageContext.FALSE)) {
                code.line("%s = %s;", ref(), create);
            } else {
                code.line("%s = %s ? null : %s;", ref(),
                    MessageContext.and(nullable, "!WireReader.readStructPresent(in)"), create);
            }
        } else {
            code.line("%s = %s;", ref(), readScalar(type, compact(), nullable()));
        }
    }

    /** Emits the private method reading an array field: {@code readX(ByteBuf in, short version, boolean compact)}. */
    void emitArrayReadMethod(CodeBuffer code) {
        FieldType element = field.type().elementType();
        code.open("private static %s %s(ByteBuf in, short version, boolean compact)", javaType(), methodName("read"));
        code.line("int length = WireReader.readArrayLength(in, compact, %s, \"%s\");", nullable(), name);
        if (!nullable().equals(MessageContext.FALSE)) {
            code.open("if (length < 0)");
            code.line("return null;");
            code.close();
        }
        code.line("%s elements = new ArrayList<>(WireReader.initialCapacity(length));", javaType());
        code.open("for (int index = 0; index < length; index++)");
        if (element.isStruct()) {
            code.line("elements.add(new %s(in, version));", element.structName());
        } else {
            code.line("elements.add(%s);", readScalar(element, "compact", MessageContext.FALSE));
        }
        code.close();
        code.line("return elements;");
        code.close();
    }

    private String readScalar(FieldType type, String compact, String nullable) {
        return switch (type.kind()) {
            case INT8 -> "WireReader.readInt8(in)";
            case INT16 -> "WireReader.readInt16(in)";
            case UINT16 -> "WireReader.readUint16(in)";
            case INT32 -> "WireReader.readInt32(in)";
            case UINT32 -> "WireReader.readUint32(in)";
            case INT64 -> "WireReader.readInt64(in)";
            case FLOAT64 -> "WireReader.readFloat64(in)";
            case BOOL -> "WireReader.readBool(in)";
            case UUID -> "WireReader.readUuid(in)";
            case STRING -> "WireReader.readString(in, " + compact + ", " + nullable + ", \"" + name + "\")";
            case BYTES -> "WireReader.readBytes(in, " + compact + ", " + nullable + ", \"" + name + "\")";
            case RECORDS -> "WireReader.readRecords(in, " + compact + ", " + nullable + ", \"" + name + "\")";
            default -> throw new IllegalStateException("Not a scalar: " + type);
        };
    }

    /** Emits statements writing the field's value to {@code out}. */
    void emitWrite(CodeBuffer code) {
        FieldType type = field.type();
        if (type.isArray()) {
            code.line("WireWriter.writeArrayLength(out, %s == null ? -1 : %s.size(), %s, %s, \"%s\");", ref(), ref(),
                compact(), nullable(), name);
            code.open("if (%s != null)", ref());
            code.open("for (%s element : %s)", boxedType(type.elementType()), ref());
            if (type.elementType().isStruct()) {
                code.line("element.write(out, version, recordsWriter);");
            } else {
                code.line(writeScalar(type.elementType(), "element", MessageContext.FALSE));
            }
            code.close();
            code.close();
        } else if (type.isStruct()) {
            emitStructWrite(code);
        } else {
            code.line(writeScalar(type, ref(), nullable()));
            if (type.kind() == Kind.RECORDS) {
                code.open("if (%s != null)", ref());
                code.line("recordsWriter.write(out, %s);", ref());
                code.close();
            }
        }
    }

    private void emitStructWrite(CodeBuffer code) {
        String nullable = nullable();
        if (nullable.equals(MessageContext.FALSE)) {
            code.line("WireWriter.requireNonNull(%s, \"%s\");", ref(), name);
        } else {
            code.open("if (%s == null)", ref());
            code.line("WireWriter.writeNullStruct(out, %s, \"%s\");", nullable, name);
            code.reopen("else");
        }
        if (nullable.equals(MessageContext.TRUE)) {
            code.line("out.writeByte(1);");
        } else if (!nullable.equals(MessageContext.FALSE)) {
            code.open("if (%s)", nullable);
            code.line("out.writeByte(1);");
            code.close();
        }
        code.line("%s.write(out, version, recordsWriter);", ref());
        if (!nullable.equals(MessageContext.FALSE)) {
            code.close();
        }
    }

    private String writeScalar(FieldType type, String value, String nullable) {
        return switch (type.kind()) {
            case INT8 -> "out.writeByte(" + value + ");";
            case INT16, UINT16 -> "out.writeShort(" + value + ");";
            case INT32 -> "out.writeInt(" + value + ");";
            case UINT32 -> "out.writeInt((int) " + value + ");";
            case INT64 -> "out.writeLong(" + value + ");";
            case FLOAT64 -> "out.writeDouble(" + value + ");";
            case BOOL -> "WireWriter.writeBool(out, " + value + ");";
            case UUID -> "WireWriter.writeUuid(out, " + value + ", \"" + name + "\");";
            case STRING -> "WireWriter.writeString(out, " + value + ", " + compact() + ", " + nullable + ", \""
                + name + "\");";
            case BYTES -> "WireWriter.writeBytes(out, " + value + ", " + compact() + ", " + nullable + ", \""
                + name + "\");";
            case RECORDS -> "WireWriter.writeRecordsLength(out, " + value + ", " + compact() + ", " + nullable
                + ", \"" + name + "\");";
            default -> throw new IllegalStateException("Not a scalar: " + type);
        };
    }

    /** An expression for the number of bytes the field's value occupies at {@code version}. */
    String sizeExpression() {
        FieldType type = field.type();
        return switch (type.kind()) {
            case STRING -> "WireWriter.sizeOfString(" + ref() + ", " + compact() + ")";
            case BYTES -> "WireWriter.sizeOfBytes(" + ref() + ", " + compact() + ")";
            case RECORDS -> "WireWriter.sizeOfRecords(" + ref() + ", " + compact() + ")";
            case ARRAY -> methodName("sizeOf") + "(version, " + compact() + ")";
            case STRUCT -> structSizeExpression();
            default -> Integer.toString(type.kind().fixedWidth());
        };
    }

    private String structSizeExpression() {
        String nullable = nullable();
        String marker = switch (nullable) {
            case MessageContext.TRUE -> "1 + ";
            case MessageContext.FALSE -> "";
            default -> "(" + nullable + " ? 1 : 0) + ";
        };
        return "(" + ref() + " == null ? 1 : " + marker + ref() + ".size(version))";
    }

    /** The name of a private helper method for this field: {@code readTopics}, {@code sizeOfTopics}. */
    private String methodName(String prefix) {
        return prefix + Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /** Emits the private method sizing an array field: {@code int sizeOfX(short version, boolean compact)}. */
    void emitArraySizeMethod(CodeBuffer code) {
        FieldType element = field.type().elementType();
        code.open("private int %s(short version, boolean compact)", methodName("sizeOf"));
        code.open("if (%s == null)", ref());
        code.line("return WireWriter.sizeOfArrayLength(-1, compact);");
        code.close();
        code.line("int size = WireWriter.sizeOfArrayLength(%s.size(), compact);", ref());
        if (element.kind().isFixedWidth()) {
            code.line("size += %s.size() * %d;", ref(), element.kind().fixedWidth());
        } else {
            code.open("for (%s element : %s)", boxedType(element), ref());
            if (element.isStruct()) {
                code.line("size += element.size(version);");
            } else {
                code.line("size += WireWriter.sizeOfString(element, compact);");
            }
            code.close();
        }
        code.line("return size;");
        code.close();
    }
}
