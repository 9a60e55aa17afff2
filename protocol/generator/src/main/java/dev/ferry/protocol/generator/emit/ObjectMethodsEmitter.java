package dev.ferry.protocol.generator.emit;

import dev.ferry.protocol.generator.spec.FieldType.Kind;
import java.util.List;

/**
 * Emits {@code equals}, {@code hashCode} and {@code toString} over all fields; byte arrays compare by content and
 * records print as their size. Stateless.
 */
final class ObjectMethodsEmitter {
    private ObjectMethodsEmitter() {
    }

    static void emit(CodeBuffer code, String className, List<FieldCode> fields) {
        emitEquals(code, className, fields);
        code.blank();
        emitHashCode(code, fields);
        code.blank();
        emitToString(code, className, fields);
    }

    private static void emitEquals(CodeBuffer code, String className, List<FieldCode> fields) {
        code.line("@Override");
        code.open("public boolean equals(Object obj)");
        code.open("if (this == obj)");
        code.line("return true;");
        code.close();
        if (fields.isEmpty()) {
            code.line("return obj instanceof %s;", className);
            code.close();
            return;
        }
        code.open("if (!(obj instanceof %s other))", className);
        code.line("return false;");
        code.close();
        for (int i = 0; i < fields.size(); i++) {
            FieldCode field = fields.get(i);
            String test = fieldEquals(field);
            code.line(i == 0 ? "return %s" : "    && %s", test + (i == fields.size() - 1 ? ";" : ""));
        }
        code.close();
    }

    private static String fieldEquals(FieldCode field) {
        String mine = field.ref();
        String theirs = "other." + field.name();
        Kind kind = field.spec().type().kind();
        if (kind == Kind.FLOAT64) {
            return "Double.compare(" + mine + ", " + theirs + ") == 0";
        }
        if (field.isPrimitive()) {
            return mine + " == " + theirs;
        }
        if (kind == Kind.BYTES) {
            return "Arrays.equals(" + mine + ", " + theirs + ")";
        }
        return "Objects.equals(" + mine + ", " + theirs + ")";
    }

    private static void emitHashCode(CodeBuffer code, List<FieldCode> fields) {
        code.line("@Override");
        code.open("public int hashCode()");
        code.line("int hash = 0;");
        for (FieldCode field : fields) {
            code.line("hash = 31 * hash + %s;", fieldHash(field));
        }
        code.line("return hash;");
        code.close();
    }

    private static String fieldHash(FieldCode field) {
        Kind kind = field.spec().type().kind();
        return switch (kind) {
            case INT8 -> "Byte.hashCode(" + field.ref() + ")";
            case INT16 -> "Short.hashCode(" + field.ref() + ")";
            case UINT16, INT32 -> "Integer.hashCode(" + field.ref() + ")";
            case UINT32, INT64 -> "Long.hashCode(" + field.ref() + ")";
            case FLOAT64 -> "Double.hashCode(" + field.ref() + ")";
            case BOOL -> "Boolean.hashCode(" + field.ref() + ")";
            case BYTES -> "Arrays.hashCode(" + field.ref() + ")";
            default -> "Objects.hashCode(" + field.ref() + ")";
        };
    }

    private static void emitToString(CodeBuffer code, String className, List<FieldCode> fields) {
        code.line("@Override");
        code.open("public String toString()");
        if (fields.isEmpty()) {
            code.line("return \"%s()\";", className);
            code.close();
            return;
        }
        code.line("return \"%s(\"", className);
        for (int i = 0; i < fields.size(); i++) {
            FieldCode field = fields.get(i);
            String separator = i == 0 ? "" : ", ";
            code.line("    + \"%s%s=\" + %s", separator, field.name(), fieldText(field));
        }
        code.line("    + \")\";");
        code.close();
    }

    private static String fieldText(FieldCode field) {
        Kind kind = field.spec().type().kind();
        if (kind == Kind.BYTES) {
            return "Arrays.toString(" + field.ref() + ")";
        }
        if (kind == Kind.RECORDS) {
            return "(" + field.ref() + " == null ? \"null\" : " + field.ref() + ".sizeInBytes() + \" bytes\")";
        }
        return field.ref();
    }
}
