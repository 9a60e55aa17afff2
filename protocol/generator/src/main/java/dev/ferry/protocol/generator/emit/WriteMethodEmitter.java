package dev.ferry.protocol.generator.emit;

import java.util.List;

/**
 * Emits {@code write(ByteBuf out, short version, RecordsWriter recordsWriter)}: positional fields in order, a
 * {@code ProtocolException} for a non-default value in a non-ignorable field the version lacks, then in flexible
 * versions the count of non-default tagged fields and each of them, size-prefixed, in ascending tag order.
 * Stateless.
 */
final class WriteMethodEmitter {
    private WriteMethodEmitter() {
    }

    static void emit(CodeBuffer code, MessageContext context, List<FieldCode> fields) {
        code.line("@Override");
        code.open("public void write(ByteBuf out, short version, RecordsWriter recordsWriter)");
        code.line("WireReader.checkVersion(version, LOWEST_SUPPORTED_VERSION, HIGHEST_SUPPORTED_VERSION, \"%s\");",
            context.spec().name());
        String flexible = context.flexibleCondition();
        if (ReadMethodEmitter.needsFlexibleLocal(flexible)) {
            code.line("boolean flexible = %s;", flexible);
        }
        for (FieldCode field : fields) {
            emitPositional(code, context, field);
        }
        emitTaggedFields(code, context, fields, flexible);
        code.close();
    }

    private static void emitPositional(CodeBuffer code, MessageContext context, FieldCode field) {
        String present = context.condition(field.spec().positionalVersions());
        String absentCheck = field.spec().ignorable() ? MessageContext.FALSE
            : MessageContext.and(context.notCondition(field.spec().versions()),
                field.differsFromDefault(field.ref()));
        if (present.equals(MessageContext.TRUE)) {
            field.emitWrite(code);
            return;
        }
        if (!present.equals(MessageContext.FALSE)) {
            code.open("if (%s)", present);
            field.emitWrite(code);
            if (absentCheck.equals(MessageContext.FALSE)) {
                code.close();
                return;
            }
            // an untagged field is absent exactly when it is not positional, so the else needs no version test
            code.reopen("else if %s", field.spec().isTagged() ? "(" + absentCheck + ")"
                : field.differsFromDefault(field.ref()));
        } else if (!absentCheck.equals(MessageContext.FALSE)) {
            code.open("if (%s)", absentCheck);
        } else {
            return;
        }
        code.line("throw WireWriter.unsupportedField(\"%s\", version);", field.name());
        code.close();
    }

    private static void emitTaggedFields(CodeBuffer code, MessageContext context, List<FieldCode> fields,
                                         String flexible) {
        if (flexible.equals(MessageContext.FALSE)) {
            return;
        }
        if (!flexible.equals(MessageContext.TRUE)) {
            code.open("if (flexible)");
        }
        List<FieldCode> tagged = TaggedFields.inTagOrder(fields);
        code.line("int taggedFieldCount = 0;");
        for (FieldCode field : tagged) {
            String written = taggedCondition(context, field);
            if (!written.equals(MessageContext.FALSE)) {
                code.open("if (%s)", written);
                code.line("taggedFieldCount++;");
                code.close();
            }
        }
        code.line("WireWriter.writeUnsignedVarint(out, taggedFieldCount);");
        for (FieldCode field : tagged) {
            String written = taggedCondition(context, field);
            if (!written.equals(MessageContext.FALSE)) {
                code.open("if (%s)", written);
                code.line("WireWriter.writeUnsignedVarint(out, %d);", field.spec().tag());
                code.line("WireWriter.writeUnsignedVarint(out, %s);", field.sizeExpression());
                field.emitWrite(code);
                code.close();
            }
        }
        if (!flexible.equals(MessageContext.TRUE)) {
            code.close();
        }
    }

    /** When a tagged field goes on the wire: tagged at this version and holding a non-default value. */
    static String taggedCondition(MessageContext context, FieldCode field) {
        return MessageContext.and(context.condition(field.spec().taggedVersions()),
            field.differsFromDefault(field.ref()));
    }
}
