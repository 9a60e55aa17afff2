package dev.ferry.protocol.generator.emit;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Works out the imports a generated file needs by looking for the simple names it may use, so no unused import is
 * printed. Stateless.
 */
final class Imports {
    /** Every type generated code may refer to by simple name. */
    static final List<String> KNOWN = List.of(
        "dev.ferry.protocol.ApiMessage",
        "dev.ferry.protocol.ByteBufRecords",
        "dev.ferry.protocol.Message",
        "dev.ferry.protocol.Records",
        "dev.ferry.protocol.RecordsWriter",
        "dev.ferry.protocol.ThrottledResponse",
        "dev.ferry.protocol.Uuids",
        "dev.ferry.protocol.WireReader",
        "dev.ferry.protocol.WireWriter",
        "io.netty.buffer.ByteBuf",
        "io.netty.buffer.Unpooled",
        "java.util.ArrayList",
        "java.util.Arrays",
        "java.util.List",
        "java.util.Objects",
        "java.util.Random",
        "java.util.UUID",
        "java.util.function.IntConsumer",
        "java.util.function.Supplier");

    private Imports() {
    }

    /** The sorted import lines for the names that occur in {@code body}. */
    static Set<String> neededBy(String body) {
        String code = withoutComments(body);
        Set<String> imports = new TreeSet<>();
        for (String qualified : KNOWN) {
            String simple = simpleName(qualified);
            if (Pattern.compile("\\b" + simple + "\\b").matcher(code).find()) {
                imports.add(qualified);
            }
        }
        return imports;
    }

    // Javadoc prose ("a List of topics") must not pull in an import; generated comments never share a line with code
    private static String withoutComments(String body) {
        StringBuilder code = new StringBuilder();
        for (String line : body.split("\n")) {
            String trimmed = line.trim();
            if (!trimmed.startsWith("*") && !trimmed.startsWith("/*") && !trimmed.startsWith("//")) {
                code.append(line).append('\n');
            }
        }
        return code.toString();
    }

    /** Whether {@code name} would clash with a type the generated code imports. */
    static boolean clashes(String name) {
        return KNOWN.stream().anyMatch(qualified -> simpleName(qualified).equals(name));
    }

    private static String simpleName(String qualified) {
        return qualified.substring(qualified.lastIndexOf('.') + 1);
    }
}
