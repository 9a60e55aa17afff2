package dev.ferry.protocol.generator.emit;

import dev.ferry.protocol.generator.spec.FieldSpec;
import dev.ferry.protocol.generator.spec.FieldType;
import dev.ferry.protocol.generator.spec.MessageSpec;
import dev.ferry.protocol.generator.spec.StructRegistry;
import dev.ferry.protocol.generator.spec.StructSpec;
import java.util.List;
import java.util.function.Predicate;

/**
 * Emits {@code MessageRandomizer}, test support that builds a populated request or response of any API, header or
 * data message at any version: every field the version has holds a non-default value (or, where nullable, sometimes
 * null), arrays are non-empty and tagged fields are set. Deterministic for a given seed. Stateless.
 */
public final class RandomizerEmitter {
    private RandomizerEmitter() {
    }

    public static String emit(List<MessageSpec> specs) {
        CodeBuffer code = new CodeBuffer();
        code.line("/**");
        code.line(" * Builds populated messages for round-trip tests, deterministically from a seed. Not thread-safe.");
        code.line(" */");
        code.open("public final class MessageRandomizer");
        // multi-byte characters make UTF-8 lengths differ from character counts
        code.line("private static final String ALPHABET = \"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ\"");
        code.line("    + \"0123456789-_.\\u00e9\\u00df\\u65e5\\u672c\";");
        code.blank();
        code.line("private final Random random;");
        code.blank();
        code.open("public MessageRandomizer(long seed)");
        code.line("this.random = new Random(seed);");
        code.close();
        emitDispatch(code, specs, "request", MessageSpec::isRequest);
        emitDispatch(code, specs, "response", MessageSpec::isResponse);
        for (MessageSpec spec : specs) {
            if (spec.isHeader() || spec.isData()) {
                code.blank();
                code.line("/** A populated %s at {@code version}. */", spec.name());
                code.open("public %s %s(short version)", spec.className(), JavaNames.lowerCamel(spec.name()));
                code.line("return %s(version);", methodName(spec, spec.className()));
                code.close();
            }
        }
        for (MessageSpec spec : specs) {
            MessageContext context = new MessageContext(spec, new StructRegistry(spec));
            emitStructMethod(code, context, new StructSpec(spec.className(), spec.fields()), spec.className());
            for (StructSpec struct : context.structs().all()) {
                emitStructMethod(code, context, struct, spec.className() + "." + struct.name());
            }
        }
        emitPrimitives(code);
        code.close();
        return GeneratedFile.of(MessageFileEmitter.PACKAGE, "Kafka's message specs", code.toString());
    }

    private static void emitDispatch(CodeBuffer code, List<MessageSpec> specs, String kind,
                                     Predicate<MessageSpec> filter) {
        code.blank();
        code.line("/** A populated %s of the API {@code apiKey} at {@code version}. */", kind);
        code.open("public ApiMessage %s(short apiKey, short version)", kind);
        code.open("switch (apiKey)");
        for (MessageSpec spec : specs) {
            if (filter.test(spec)) {
                code.line("case %d:", spec.apiKey());
                code.line("    return %s(version);", methodName(spec, spec.className()));
            }
        }
        code.line("default:");
        code.line("    throw new IllegalArgumentException(\"Unknown API key \" + apiKey);");
        code.close();
        code.close();
    }

    private static String methodName(MessageSpec spec, String struct) {
        return JavaNames.lowerCamel(struct.equals(spec.className()) ? struct : spec.className() + struct);
    }

    private static void emitStructMethod(CodeBuffer code, MessageContext context, StructSpec struct,
                                         String javaType) {
        code.blank();
        String structName = struct.name();
        code.open("private %s %s(short version)", javaType, methodName(context.spec(), structName));
        code.line("%s message = new %s();", javaType, javaType);
        for (FieldSpec field : struct.fields()) {
            String present = context.condition(field.versions());
            if (present.equals(MessageContext.FALSE)) {
                continue;
            }
            String value = value(context, field.type(), field);
            String nullable = context.condition(field.nullableVersions());
            if (!nullable.equals(MessageContext.FALSE)) {
                value = MessageContext.and(nullable, "random.nextInt(4) == 0") + " ? null : " + value;
            }
            String set = String.format("message.%s(%s);", JavaNames.setterName(field.name()), value);
            if (present.equals(MessageContext.TRUE)) {
                code.line(set);
            } else {
                code.open("if (%s)", present);
                code.line(set);
                code.close();
            }
        }
        code.line("return message;");
        code.close();
    }

    private static String value(MessageContext context, FieldType type, FieldSpec field) {
        String avoid = field == null ? null : DefaultValues.expression(field);
        return switch (type.kind()) {
            case INT8 -> "int8(" + (avoid == null ? "(byte) 0" : avoid) + ")";
            case INT16 -> "int16(" + (avoid == null ? "(short) 0" : avoid) + ")";
            case UINT16 -> "uint16(" + (avoid == null ? "0" : avoid) + ")";
            case INT32 -> "int32(" + (avoid == null ? "0" : avoid) + ")";
            case UINT32 -> "uint32(" + (avoid == null ? "0L" : avoid) + ")";
            case INT64 -> "int64(" + (avoid == null ? "0L" : avoid) + ")";
            case FLOAT64 -> "float64(" + (avoid == null ? "0.0" : avoid) + ")";
            case BOOL -> "!" + (avoid == null ? "random.nextBoolean()" : avoid);
            case STRING -> "string()";
            case BYTES -> "bytes()";
            case UUID -> "uuid()";
            case RECORDS -> "records()";
            case STRUCT -> methodName(context.spec(), type.structName()) + "(version)";
            case ARRAY -> "list(() -> " + value(context, type.elementType(), null) + ")";
        };
    }

    private static void emitPrimitives(CodeBuffer code) {
        code.blank();
        code.open("private <T> List<T> list(Supplier<T> element)");
        code.line("int count = 1 + random.nextInt(3);");
        code.line("List<T> list = new ArrayList<>(count);");
        code.open("for (int i = 0; i < count; i++)");
        code.line("list.add(element.get());");
        code.close();
        code.line("return list;");
        code.close();
        code.blank();
        code.open("private byte int8(byte avoid)");
        code.line("byte value;");
        code.open("do");
        code.line("value = (byte) random.nextInt();");
        code.close(" while (value == avoid);");
        code.line("return value;");
        code.close();
        code.blank();
        code.open("private short int16(short avoid)");
        code.line("short value;");
        code.open("do");
        code.line("value = (short) random.nextInt();");
        code.close(" while (value == avoid);");
        code.line("return value;");
        code.close();
        code.blank();
        code.open("private int uint16(int avoid)");
        code.line("int value;");
        code.open("do");
        code.line("value = random.nextInt(0x10000);");
        code.close(" while (value == avoid);");
        code.line("return value;");
        code.close();
        code.blank();
        code.open("private int int32(int avoid)");
        code.line("int value;");
        code.open("do");
        code.line("value = random.nextInt();");
        code.close(" while (value == avoid);");
        code.line("return value;");
        code.close();
        code.blank();
        code.open("private long uint32(long avoid)");
        code.line("long value;");
        code.open("do");
        code.line("value = random.nextInt() & 0xffffffffL;");
        code.close(" while (value == avoid);");
        code.line("return value;");
        code.close();
        code.blank();
        code.open("private long int64(long avoid)");
        code.line("long value;");
        code.open("do");
        code.line("value = random.nextLong();");
        code.close(" while (value == avoid);");
        code.line("return value;");
        code.close();
        code.blank();
        code.open("private double float64(double avoid)");
        code.line("double value;");
        code.open("do");
        code.line("value = (random.nextDouble() - 0.5) * 1e9;");
        code.close(" while (value == avoid);");
        code.line("return value;");
        code.close();
        code.blank();
        code.open("private String string()");
        code.line("int length = 1 + random.nextInt(12);");
        code.line("StringBuilder text = new StringBuilder(length);");
        code.open("for (int i = 0; i < length; i++)");
        code.line("text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));");
        code.close();
        code.line("return text.toString();");
        code.close();
        code.blank();
        code.open("private byte[] bytes()");
        code.line("byte[] bytes = new byte[1 + random.nextInt(16)];");
        code.line("random.nextBytes(bytes);");
        code.line("return bytes;");
        code.close();
        code.blank();
        code.open("private UUID uuid()");
        code.line("return new UUID(random.nextLong() | 1L, random.nextLong());");
        code.close();
        code.blank();
        code.line("/** Records over an unpooled heap buffer, which needs no release. */");
        code.open("private Records records()");
        code.line("byte[] bytes = new byte[1 + random.nextInt(64)];");
        code.line("random.nextBytes(bytes);");
        code.line("return new ByteBufRecords(Unpooled.wrappedBuffer(bytes));");
        code.close();
    }
}
