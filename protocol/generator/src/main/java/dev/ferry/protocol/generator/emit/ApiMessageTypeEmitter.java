package dev.ferry.protocol.generator.emit;

import dev.ferry.protocol.generator.spec.MessageSpec;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Emits {@code ApiMessageType}, the enum mapping each API key to its name, versions, listeners, message classes and
 * header versions, so that supporting an API needs no hand-written switch. Stateless.
 */
public final class ApiMessageTypeEmitter {
    private ApiMessageTypeEmitter() {
    }

    /**
     * The enum's source, one constant per request spec in {@code requests}, each paired with the response of the
     * same key in {@code responsesByKey}.
     */
    public static String emit(List<MessageSpec> requests, Map<Short, MessageSpec> responsesByKey) {
        CodeBuffer code = new CodeBuffer();
        code.line("/**");
        code.line(" * Every Kafka API with a request spec: its key, name, versions and message classes.");
        code.line(" *");
        code.line(" * <p>Generated from Kafka's message specs. Immutable and thread-safe.");
        code.line(" */");
        code.open("public enum ApiMessageType");
        for (int i = 0; i < requests.size(); i++) {
            MessageSpec request = requests.get(i);
            MessageSpec response = responsesByKey.get(request.apiKey());
            if (response == null) {
                throw new IllegalArgumentException("No response spec for " + request.name());
            }
            String listeners = request.listeners().stream().map(DefaultValues::quote)
                .collect(Collectors.joining(", "));
            code.line("%s((short) %d, \"%s\", (short) %d, (short) %d, %s, %d, List.of(%s),", constantName(request),
                request.apiKey(), apiName(request), request.validVersions().lowest(),
                request.validVersions().highest(), request.latestVersionUnstable(), firstFlexibleVersion(request),
                listeners);
            code.line("    %s::new, %s::new,", request.className(), response.className());
            code.line("    %s)%s", ErrorCodesEmitter.walker(response.className()),
                i == requests.size() - 1 ? ";" : ",");
        }
        code.blank();
        code.line("private static final ApiMessageType[] BY_API_KEY = byApiKey();");
        code.blank();
        code.line("private final short apiKey;");
        code.line("private final String apiName;");
        code.line("private final short lowestSupportedVersion;");
        code.line("private final short highestSupportedVersion;");
        code.line("private final boolean latestVersionUnstable;");
        code.line("private final int firstFlexibleVersion;");
        code.line("private final List<String> listeners;");
        code.line("private final Supplier<ApiMessage> newRequest;");
        code.line("private final Supplier<ApiMessage> newResponse;");
        code.line("private final ErrorCodeWalker errorCodes;");
        code.blank();
        emitConstructor(code);
        code.blank();
        emitMethods(code);
        code.close();
        return GeneratedFile.of(MessageFileEmitter.PACKAGE, "Kafka's request and response specs", code.toString());
    }

    /** Kafka's constant name: the request name without {@code Request}, in upper snake case. */
    static String constantName(MessageSpec request) {
        return JavaNames.upperSnake(apiName(request));
    }

    private static String apiName(MessageSpec request) {
        String name = request.name();
        return name.endsWith("Request") ? name.substring(0, name.length() - "Request".length()) : name;
    }

    /** The first flexible version, or one past the highest version number when the API is never flexible. */
    private static int firstFlexibleVersion(MessageSpec request) {
        return request.flexibleVersions().isEmpty() ? Short.MAX_VALUE + 1 : request.flexibleVersions().lowest();
    }

    private static void emitConstructor(CodeBuffer code) {
        code.line("ApiMessageType(short apiKey, String apiName, short lowestSupportedVersion, "
            + "short highestSupportedVersion,");
        code.line("               boolean latestVersionUnstable, int firstFlexibleVersion, List<String> listeners,");
        code.open("               Supplier<ApiMessage> newRequest, Supplier<ApiMessage> newResponse, "
            + "ErrorCodeWalker errorCodes)");
        for (String field : List.of("apiKey", "apiName", "lowestSupportedVersion", "highestSupportedVersion",
            "latestVersionUnstable", "firstFlexibleVersion", "listeners", "newRequest", "newResponse",
            "errorCodes")) {
            code.line("this.%s = %s;", field, field);
        }
        code.close();
    }

    private static void emitMethods(CodeBuffer code) {
        code.line("/** The API with key {@code apiKey}, or null when there is none. */");
        code.open("public static ApiMessageType fromApiKey(short apiKey)");
        code.line("return apiKey >= 0 && apiKey < BY_API_KEY.length ? BY_API_KEY[apiKey] : null;");
        code.close();
        code.blank();
        code.open("private static ApiMessageType[] byApiKey()");
        code.line("int highestKey = 0;");
        code.open("for (ApiMessageType type : values())");
        code.line("highestKey = Math.max(highestKey, type.apiKey);");
        code.close();
        code.line("ApiMessageType[] byKey = new ApiMessageType[highestKey + 1];");
        code.open("for (ApiMessageType type : values())");
        code.line("byKey[type.apiKey] = type;");
        code.close();
        code.line("return byKey;");
        code.close();
        getter(code, "short", "apiKey", "The API key.");
        getter(code, "String", "apiName", "The API's name as in its spec, without \"Request\", e.g. {@code Produce}.");
        getter(code, "short", "lowestSupportedVersion", "The lowest version of the request spec.");
        getter(code, "short", "highestSupportedVersion",
            "The highest version of the request spec; below the lowest for an API without valid versions.");
        getter(code, "boolean", "latestVersionUnstable",
            "Whether the highest version is still under development, and so not to be advertised by default.");
        code.blank();
        code.line("/** The highest version that is not under development. */");
        code.open("public short highestStableVersion()");
        code.line("return latestVersionUnstable ? (short) (highestSupportedVersion - 1) : highestSupportedVersion;");
        code.close();
        getter(code, "List<String>", "listeners", "The listeners the request is accepted on, e.g. broker.");
        code.blank();
        code.line("/** Whether {@code version} uses compact encodings and tagged fields. */");
        code.open("public boolean isFlexible(short version)");
        code.line("return version >= firstFlexibleVersion;");
        code.close();
        code.blank();
        code.line("/** A new request message holding defaults. */");
        code.open("public ApiMessage newRequest()");
        code.line("return newRequest.get();");
        code.close();
        code.blank();
        code.line("/** A new response message holding defaults. */");
        code.open("public ApiMessage newResponse()");
        code.line("return newResponse.get();");
        code.close();
        code.blank();
        code.line("/** The request header version a request of this API at {@code apiVersion} uses. */");
        code.open("public short requestHeaderVersion(short apiVersion)");
        code.line("return isFlexible(apiVersion) ? (short) 2 : (short) 1;");
        code.close();
        code.blank();
        code.line("/**");
        code.line(" * The response header version a response of this API at {@code apiVersion} uses. ApiVersions");
        code.line(" * always answers with version 0, so that a client can parse the answer whatever version it asked");
        code.line(" * for.");
        code.line(" */");
        code.open("public short responseHeaderVersion(short apiVersion)");
        code.open("if (this == API_VERSIONS)");
        code.line("return 0;");
        code.close();
        code.line("return isFlexible(apiVersion) ? (short) 1 : (short) 0;");
        code.close();
        code.blank();
        code.line("/**");
        code.line(" * Passes each error code of {@code response}, a response of this API at {@code version}, to");
        code.line(" * {@code action}, as the response class's {@code %s} does: every int16 field named",
            ErrorCodesEmitter.METHOD);
        code.line(" * ErrorCode or ending in it that the version carries, at any depth, in wire order, NONE (0)");
        code.line(" * included. Allocates nothing.");
        code.line(" *");
        code.line(" * @throws ClassCastException when {@code response} is not a response of this API");
        code.line(" */");
        code.open("public void %s(ApiMessage response, short version, IntConsumer action)", ErrorCodesEmitter.METHOD);
        code.line("errorCodes.walk(response, version, action);");
        code.close();
        code.blank();
        code.line("/** Walks the error codes of one API's responses. */");
        code.line("@FunctionalInterface");
        code.open("private interface ErrorCodeWalker");
        code.line("void walk(ApiMessage response, short version, IntConsumer action);");
        code.close();
    }

    private static void getter(CodeBuffer code, String type, String name, String doc) {
        code.blank();
        code.line("/** %s */", doc);
        code.open("public %s %s()", type, name);
        code.line("return %s;", name);
        code.close();
    }
}
