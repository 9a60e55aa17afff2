package dev.ferry.protocol.generator.emit;

import java.util.List;

/**
 * Emits {@code size(short version)}, mirroring the write method byte for byte, and the private methods reading and
 * sizing array fields. Stateless.
 */
final class SizeMethodEmitter {
    private SizeMethodEmitter() {
    }

    static void emit(CodeBuffer code, MessageContext context, List<FieldCode> fields) {
        code.line("@Override");
        code.open("public int size(short version)");
        code.line("WireReader.checkVersion(version, LOWEST_SUPPORTED_VERSION, HIGHEST_SUPPORTED_VERSION, \"%s\");",
            context.spec().name());
        String flexible = context.flexibleCondition();
        if (ReadMethodEmitter.needsFlexibleLocal(flexible)) {
            code.line("boolean flexible = %s;", flexible);
        }
        code.line("int size = 0;");
        for (FieldCode field : fields) {
            String present = context.condition(field.spec().positionalVersions());
            if (present.equals(MessageContext.TRUE)) {
                code.line("size += %s;", field.sizeExpression());
            } else if (!present.equals(MessageContext.FALSE)) {
                code.open("if (%s)", present);
                code.line("size += %s;", field.sizeExpression());
                code.close();
            }
        }
        emitTaggedFields(code, context, fields, flexible);
        code.line("return size;");
        code.close();
        for (FieldCode field : fields) {
            if (field.spec().type().isArray() && !context.condition(field.spec().versions())
                .equals(MessageContext.FALSE)) {
                code.blank();
                field.emitArrayReadMethod(code);
                code.blank();
                field.emitArraySizeMethod(code);
            }
        }
    }

    private static void emitTaggedFields(CodeBuffer code, MessageContext context, List<FieldCode> fields,
                                         String flexible) {
        if (flexible.equals(MessageContext.FALSE)) {
            return;
        }
        if (!flexible.equals(MessageContext.TRUE)) {
            code.open("if (flexible)");
        }
        code.line("int taggedFieldCount = 0;");
        for (FieldCode field : TaggedFields.inTagOrder(fields)) {
            String written = WriteMethodEmitter.taggedCondition(context, field);
            if (!written.equals(MessageContext.FALSE)) {
                code.open("if (%s)", written);
                code.line("taggedFieldCount++;");
                code.line("int valueSize = %s;", field.sizeExpression());
                code.line("size += WireWriter.sizeOfUnsignedVarint(%d) + WireWriter.sizeOfUnsignedVarint(valueSize)"
                    + " + valueSize;", field.spec().tag());
                code.close();
            }
        }
        code.line("size += WireWriter.sizeOfUnsignedVarint(taggedFieldCount);");
        if (!flexible.equals(MessageContext.TRUE)) {
            code.close();
        }
    }
}
