package dev.ferry.protocol.generator.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CodeBufferTest {

    @Test
    void shouldIndentBlocksByFourSpaces() {
        CodeBuffer code = new CodeBuffer();
        code.open("if (%s)", "ready");
        code.line("go(%d);", 1);
        code.reopen("else");
        code.line("stop();");
        code.close();
        code.blank();
        code.open("");
        code.line("100%");
        code.close(" while (x);");
        assertEquals("if (ready) {\n    go(1);\n} else {\n    stop();\n}\n\n{\n    100%\n} while (x);\n",
            code.toString());
        assertEquals(0, code.depth());
    }

    @Test
    void shouldRefuseToCloseWhatIsNotOpen() {
        assertThrows(IllegalStateException.class, () -> new CodeBuffer().close());
    }
}
