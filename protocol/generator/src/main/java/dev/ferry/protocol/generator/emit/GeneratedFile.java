package dev.ferry.protocol.generator.emit;

/**
 * Assembles a generated source file: header comment, package, imports and body. Stateless.
 */
final class GeneratedFile {
    private GeneratedFile() {
    }

    static String of(String packageName, String source, String body) {
        StringBuilder file = new StringBuilder();
        file.append("// Generated from ").append(source).append(" by the Ferry protocol generator; do not edit.\n");
        file.append('\n');
        file.append("package ").append(packageName).append(";\n");
        file.append('\n');
        var imports = Imports.neededBy(body);
        for (String qualified : imports) {
            file.append("import ").append(qualified).append(";\n");
        }
        if (!imports.isEmpty()) {
            file.append('\n');
        }
        return file.append(body).toString();
    }
}
