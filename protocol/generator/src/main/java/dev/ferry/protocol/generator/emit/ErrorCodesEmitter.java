package dev.ferry.protocol.generator.emit;

import dev.ferry.protocol.generator.spec.FieldSpec;
import dev.ferry.protocol.generator.spec.FieldType.Kind;
import dev.ferry.protocol.generator.spec.StructSpec;
import java.util.List;

/**
 * Emits {@code forEachErrorCode(short version, IntConsumer action)} on responses: a walk over every error code a
 * response carries, so that the broker can count the errors it answers with without a hand-written extractor per API
 * (Kafka writes one {@code errorCounts()} per response class instead).
 *
 * <p>An error code is an int16 field named {@code ErrorCode} or ending in it ({@code PartitionErrorCode},
 * {@code TopicConfigErrorCode}...). Every response class gets the method, empty when it carries no error code; a
 * nested struct gets it only when it or a struct inside it carries one. The walk visits the fields present at the
 * given version, in wire order, descends into struct and struct-array fields, and allocates nothing. Stateless.
 */
final class ErrorCodesEmitter {
    /** The name of the generated method. */
    static final String METHOD = "forEachErrorCode";

    private static final String SUFFIX = "ErrorCode";

    private ErrorCodesEmitter() {
    }

    /** Whether the class of {@code struct} gets the method: every response, and its structs holding error codes. */
    static boolean applies(MessageContext context, StructSpec struct, boolean topLevel) {
        return context.spec().isResponse() && (topLevel || hasErrorCodes(context, struct.fields()));
    }

    static void emit(CodeBuffer code, MessageContext context, List<FieldCode> fields, boolean topLevel) {
        code.line("/**");
        code.line(" * Passes each error code this %s carries at {@code version} to {@code action}, in wire order:",
            topLevel ? "message" : "struct");
        code.line(" * every int16 field named ErrorCode or ending in it, here and in the structs within, NONE (0)");
        code.line(" * included. Allocates nothing.");
        code.line(" */");
        code.open("public void %s(short version, IntConsumer action)", METHOD);
        for (FieldCode field : fields) {
            FieldSpec spec = field.spec();
            boolean errorCode = isErrorCode(spec);
            boolean nested = spec.type().refersToStruct()
                && hasErrorCodes(context, context.structs().get(spec.type().referencedStruct()).fields());
            String present = context.condition(spec.versions());
            if ((!errorCode && !nested) || present.equals(MessageContext.FALSE)) {
                continue;
            }
            boolean conditional = !present.equals(MessageContext.TRUE);
            if (conditional) {
                code.open("if (%s)", present);
            }
            if (errorCode) {
                code.line("action.accept(%s);", field.ref());
            } else if (spec.type().isArray()) {
                code.open("if (%s != null)", field.ref());
                code.open("for (int i = 0; i < %s.size(); i++)", field.ref());
                code.line("%s.get(i).%s(version, action);", field.ref(), METHOD);
                code.close();
                code.close();
            } else {
                code.open("if (%s != null)", field.ref());
                code.line("%s.%s(version, action);", field.ref(), METHOD);
                code.close();
            }
            if (conditional) {
                code.close();
            }
        }
        code.close();
    }

    /** Whether {@code fields}, or the fields of the structs they refer to, hold an error code in some valid version. */
    static boolean hasErrorCodes(MessageContext context, List<FieldSpec> fields) {
        for (FieldSpec field : fields) {
            if (context.condition(field.versions()).equals(MessageContext.FALSE)) {
                continue;
            }
            if (isErrorCode(field)) {
                return true;
            }
            if (field.type().refersToStruct()
                && hasErrorCodes(context, context.structs().get(field.type().referencedStruct()).fields())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isErrorCode(FieldSpec field) {
        return field.type().kind() == Kind.INT16 && field.name().endsWith(SUFFIX);
    }

    /** The {@code ApiMessageType} constructor argument walking a response of class {@code responseClass}. */
    static String walker(String responseClass) {
        return String.format("(response, version, action) -> ((%s) response).%s(version, action)", responseClass,
            METHOD);
    }
}
