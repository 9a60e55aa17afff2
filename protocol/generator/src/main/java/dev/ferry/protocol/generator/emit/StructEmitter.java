package dev.ferry.protocol.generator.emit;

import dev.ferry.protocol.generator.spec.FieldSpec;
import dev.ferry.protocol.generator.spec.MessageSpec;
import dev.ferry.protocol.generator.spec.StructSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Emits one message class or nested struct class: fields, constructors, the {@code Message} methods, value methods
 * and fluent accessors. Stateless.
 */
final class StructEmitter {
    private StructEmitter() {
    }

    /** Emits the body members of a class for {@code struct}; the caller opens and closes the class. */
    static void emitMembers(CodeBuffer code, MessageContext context, StructSpec struct, boolean topLevel) {
        List<FieldCode> fields = new ArrayList<>();
        for (FieldSpec field : struct.fields()) {
            fields.add(new FieldCode(context, field));
        }
        emitDefaultConstants(code, context, fields);
        for (FieldCode field : fields) {
            code.line("private %s %s;", field.javaType(), field.name());
        }
        if (!fields.isEmpty()) {
            code.blank();
        }
        emitConstructors(code, struct.name(), fields);
        code.blank();
        emitVersionMethods(code, context.spec(), topLevel);
        ReadMethodEmitter.emit(code, context, fields);
        code.blank();
        WriteMethodEmitter.emit(code, context, fields);
        code.blank();
        SizeMethodEmitter.emit(code, context, fields);
        code.blank();
        if (ErrorCodesEmitter.applies(context, struct, topLevel)) {
            ErrorCodesEmitter.emit(code, context, fields, topLevel);
            code.blank();
        }
        ObjectMethodsEmitter.emit(code, struct.name(), fields);
        for (FieldCode field : fields) {
            code.blank();
            emitAccessors(code, struct.name(), field);
        }
    }

    private static void emitDefaultConstants(CodeBuffer code, MessageContext context, List<FieldCode> fields) {
        boolean any = false;
        for (FieldCode field : fields) {
            if (usesDefaultConstant(context, field)) {
                code.line("private static final %s %s = new %s();", field.javaType(), field.defaultConstant(),
                    field.javaType());
                any = true;
            }
        }
        if (any) {
            code.blank();
        }
    }

    /** Whether a struct field is ever compared with its default: when tagged, or absent but not ignorable. */
    private static boolean usesDefaultConstant(MessageContext context, FieldCode field) {
        if (!field.needsDefaultConstant()) {
            return false;
        }
        FieldSpec spec = field.spec();
        boolean tagged = spec.isTagged() && !context.condition(spec.taggedVersions()).equals(MessageContext.FALSE);
        boolean checkedWhenAbsent = !spec.ignorable()
            && !context.notCondition(spec.versions()).equals(MessageContext.FALSE);
        return tagged || checkedWhenAbsent;
    }

    private static void emitConstructors(CodeBuffer code, String className, List<FieldCode> fields) {
        code.line("/** Creates an instance holding every field's default. */");
        code.open("public %s()", className);
        for (FieldCode field : fields) {
            code.line("%s = %s;", field.ref(), field.defaultValue());
        }
        code.close();
        code.blank();
        code.line("/**");
        code.line(" * Creates an instance read from {@code in} at {@code version}; records fields are slices of");
        code.line(" * {@code in}, which must stay alive while they are used.");
        code.line(" */");
        code.open("public %s(ByteBuf in, short version)", className);
        code.line("read(in, version);");
        code.close();
    }

    private static void emitVersionMethods(CodeBuffer code, MessageSpec spec, boolean topLevel) {
        if (topLevel && spec.apiKey() >= 0 && !spec.isHeader()) {
            code.line("@Override");
            code.open("public short apiKey()");
            code.line("return API_KEY;");
            code.close();
            code.blank();
        }
        code.line("@Override");
        code.open("public short lowestSupportedVersion()");
        code.line("return LOWEST_SUPPORTED_VERSION;");
        code.close();
        code.blank();
        code.line("@Override");
        code.open("public short highestSupportedVersion()");
        code.line("return HIGHEST_SUPPORTED_VERSION;");
        code.close();
        code.blank();
    }

    private static void emitAccessors(CodeBuffer code, String className, FieldCode field) {
        FieldSpec spec = field.spec();
        String about = spec.about().isBlank() ? spec.name() : Javadoc.escape(spec.about());
        String versions = "Versions " + spec.versions()
            + (spec.nullableVersions().isEmpty() ? "" : ", nullable in " + spec.nullableVersions())
            + (spec.isTagged() ? ", tag " + spec.tag() + " in " + spec.taggedVersions() : "") + ".";
        Javadoc.emit(code, List.of(about, versions));
        code.open("public %s %s()", field.javaType(), field.name());
        code.line("return %s;", field.ref());
        code.close();
        code.blank();
        code.open("public %s %s(%s value)", className, JavaNames.setterName(spec.name()), field.javaType());
        code.line("%s = value;", field.ref());
        code.line("return this;");
        code.close();
    }
}
