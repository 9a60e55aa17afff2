package dev.ferry.protocol.generator.emit;

/**
 * Accumulates Java source line by line with four-space indentation. Not thread-safe.
 */
public final class CodeBuffer {
    private static final String INDENT = "    ";

    private final StringBuilder text = new StringBuilder();
    private int depth;

    /** Appends one line, formatted as by {@link String#format}, at the current indentation. */
    public CodeBuffer line(String format, Object... args) {
        String content = args.length == 0 ? format : String.format(format, args);
        if (!content.isEmpty()) {
            text.append(INDENT.repeat(depth)).append(content);
        }
        text.append('\n');
        return this;
    }

    /** Appends an empty line. */
    public CodeBuffer blank() {
        return line("");
    }

    /** Appends a line ending in an opening brace and indents what follows. */
    public CodeBuffer open(String format, Object... args) {
        String opening = args.length == 0 ? format : String.format(format, args);
        line(opening.isEmpty() ? "{" : opening + " {");
        depth++;
        return this;
    }

    /** Closes a block opened by {@link #open}. */
    public CodeBuffer close() {
        return close("");
    }

    /** Closes a block and continues its closing line, as in {@code "} else {"} (pass {@code " else"}). */
    public CodeBuffer close(String suffix) {
        if (depth == 0) {
            throw new IllegalStateException("No open block");
        }
        depth--;
        return line("}" + suffix);
    }

    /** Closes the current block and opens the next on the same line: {@code "} else {"}. */
    public CodeBuffer reopen(String format, Object... args) {
        depth--;
        line("} " + (args.length == 0 ? format : String.format(format, args)) + " {");
        depth++;
        return this;
    }

    public int depth() {
        return depth;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
