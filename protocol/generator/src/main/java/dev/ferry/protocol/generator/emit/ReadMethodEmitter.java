package dev.ferry.protocol.generator.emit;

import java.util.ArrayList;
import java.util.List;

/**
 * Emits {@code read(ByteBuf in, short version)}: positional fields in order, fields absent from the version reset to
 * their defaults, then in flexible versions the tagged fields, skipping tags this version does not know. Stateless.
 */
final class ReadMethodEmitter {
    private ReadMethodEmitter() {
    }

    static void emit(CodeBuffer code, MessageContext context, List<FieldCode> fields) {
        code.line("@Override");
        code.open("public void read(ByteBuf in, short version)");
        code.line("WireReader.checkVersion(version, LOWEST_SUPPORTED_VERSION, HIGHEST_SUPPORTED_VERSION, \"%s\");",
            context.spec().name());
        String flexible = context.flexibleCondition();
        if (needsFlexibleLocal(flexible)) {
            code.line("boolean flexible = %s;", flexible);
        }
        for (FieldCode field : fields) {
            emitPositional(code, context, field);
        }
        emitTaggedFields(code, context, fields, flexible);
        code.close();
    }

    /** Whether flexibility depends on the version, so that the code tests a local {@code flexible}. */
    static boolean needsFlexibleLocal(String flexible) {
        return !flexible.equals(MessageContext.TRUE) && !flexible.equals(MessageContext.FALSE);
    }

    private static void emitPositional(CodeBuffer code, MessageContext context, FieldCode field) {
        String present = context.condition(field.spec().positionalVersions());
        if (present.equals(MessageContext.TRUE)) {
            field.emitRead(code);
        } else if (present.equals(MessageContext.FALSE)) {
            code.line("%s = %s;", field.ref(), field.defaultValue());
        } else {
            code.open("if (%s)", present);
            field.emitRead(code);
            code.reopen("else");
            code.line("%s = %s;", field.ref(), field.defaultValue());
            code.close();
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
        code.line("int taggedFieldCount = WireReader.readUnsignedVarint(in);");
        code.open("for (int taggedIndex = 0; taggedIndex < taggedFieldCount; taggedIndex++)");
        code.line("int tag = WireReader.readUnsignedVarint(in);");
        code.line("int tagSize = WireReader.readTaggedFieldSize(in, tag);");
        List<FieldCode> known = new ArrayList<>();
        for (FieldCode field : TaggedFields.inTagOrder(fields)) {
            if (!context.condition(field.spec().taggedVersions()).equals(MessageContext.FALSE)) {
                known.add(field);
            }
        }
        if (!known.isEmpty()) {
            code.line("int tagStart = in.readerIndex();");
        }
        for (int i = 0; i < known.size(); i++) {
            FieldCode field = known.get(i);
            String condition = MessageContext.and("tag == " + field.spec().tag(),
                context.condition(field.spec().taggedVersions()));
            if (i == 0) {
                code.open("if (%s)", condition);
            } else {
                code.reopen("else if (%s)", condition);
            }
            field.emitRead(code);
            code.line("WireReader.checkTaggedFieldConsumed(in, tagStart, tagSize, tag);");
        }
        if (known.isEmpty()) {
            code.line("in.skipBytes(tagSize);");
        } else {
            // a tag unknown to this version is skipped, as Kafka does, so that newer peers stay readable
            code.reopen("else");
            code.line("in.skipBytes(tagSize);");
            code.close();
        }
        code.close();
        if (!flexible.equals(MessageContext.TRUE)) {
            code.close();
        }
    }
}
