package dev.ferry.protocol.generator.emit;

import java.util.ArrayList;
import java.util.List;

/**
 * Prints Javadoc comments, escaping free text from the specs and wrapping it to the line width. Stateless.
 */
final class Javadoc {
    private static final int LINE_WIDTH = 120;

    private Javadoc() {
    }

    /** Prints a comment of paragraphs, each paragraph after the first starting with {@code <p>}. */
    static void emit(CodeBuffer code, List<String> paragraphs) {
        int width = LINE_WIDTH - 4 * code.depth() - " * ".length();
        code.line("/**");
        for (int i = 0; i < paragraphs.size(); i++) {
            if (i > 0) {
                code.line(" *");
            }
            String paragraph = (i > 0 ? "<p>" : "") + paragraphs.get(i);
            for (String line : wrap(paragraph, width)) {
                code.line(" * %s", line);
            }
        }
        code.line(" */");
    }

    /** Makes free text safe inside a Javadoc comment. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("*/", "*&#47;")
            .replace("@", "&#64;").replace("\\u", "\\\\u");
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.trim().split("\\s+")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
