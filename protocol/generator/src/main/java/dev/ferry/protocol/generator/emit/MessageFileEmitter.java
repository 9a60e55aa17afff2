package dev.ferry.protocol.generator.emit;

import dev.ferry.protocol.generator.spec.FieldType;
import dev.ferry.protocol.generator.spec.MessageSpec;
import dev.ferry.protocol.generator.spec.StructRegistry;
import dev.ferry.protocol.generator.spec.StructSpec;

/**
 * Emits the source file of one message: its class, with every struct it uses as a nested class. Stateless.
 */
public final class MessageFileEmitter {
    /** The package of the generated message classes. */
    public static final String PACKAGE = "dev.ferry.protocol.message";

    private MessageFileEmitter() {
    }

    /** The Java source of {@code spec}'s class. */
    public static String emit(MessageSpec spec) {
        StructRegistry structs = new StructRegistry(spec);
        for (StructSpec struct : structs.all()) {
            if (Imports.clashes(struct.name())) {
                throw new IllegalArgumentException(spec.name() + ": struct " + struct.name()
                    + " clashes with an imported type");
            }
        }
        MessageContext context = new MessageContext(spec, structs);
        CodeBuffer body = new CodeBuffer();
        String className = spec.className();
        boolean api = spec.apiKey() >= 0 && !spec.isHeader();
        body.line("/**");
        body.line(" * The %s message, versions %s%s.", spec.name(), spec.validVersions(),
            spec.flexibleVersions().isEmpty() ? "" : " (flexible from " + spec.flexibleVersions().lowest() + ")");
        body.line(" *");
        body.line(" * <p>Generated from Kafka's message spec. Mutable and not thread-safe.");
        body.line(" */");
        body.open("public final class %s implements %s", className,
            !api ? "Message" : isThrottled(spec) ? "ApiMessage, ThrottledResponse" : "ApiMessage");
        if (api) {
            body.line("public static final short API_KEY = %d;", spec.apiKey());
        }
        body.line("public static final short LOWEST_SUPPORTED_VERSION = %d;", spec.validVersions().lowest());
        body.line("public static final short HIGHEST_SUPPORTED_VERSION = %d;", spec.validVersions().highest());
        body.blank();
        StructEmitter.emitMembers(body, context, new StructSpec(className, spec.fields()), true);
        for (StructSpec struct : structs.all()) {
            body.blank();
            body.line("/** The %s struct of %s. Mutable and not thread-safe. */", struct.name(), spec.name());
            body.open("public static final class %s implements Message", struct.name());
            StructEmitter.emitMembers(body, context, struct, false);
            body.close();
        }
        body.close();
        return GeneratedFile.of(PACKAGE, spec.name() + ".json", body.toString());
    }

    /** Whether {@code spec} is a response with a top-level int32 ThrottleTimeMs, which quotas set. */
    static boolean isThrottled(MessageSpec spec) {
        return spec.isResponse() && spec.fields().stream().anyMatch(field -> field.name().equals("ThrottleTimeMs")
            && field.type().kind() == FieldType.Kind.INT32 && !field.isTagged());
    }
}
