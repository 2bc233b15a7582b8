package io.kubesentry.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The agent's log lines escape control characters")
class EscapedLogLinesTest {

    @Test
    @DisplayName("a name with a line break and ANSI escapes stays on its log line, the escapes written out")
    void forgedLineImpossible() {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        EscapedLogLines log = new EscapedLogLines(written);

        log.println("Skipped an event: pod api\n2026-12-01T10:00:00.000+0000 [main] INFO Forged - all good"
                + "\u001b[2J\u001b[31mred\r\u0085\u2028 tab\tkept, café kept");
        log.println((Object) new IllegalStateException("bad\nname"));

        String[] lines = written.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).contains("api\\n2026-12-01", "\\e[2J\\e[31mred\\r\\u0085\\u2028", "tab\tkept", "café")
                .doesNotContain("\u001b");
        assertThat(lines[1]).isEqualTo("java.lang.IllegalStateException: bad\\nname");
    }

    @Test
    @DisplayName("installed, slf4j-simple's lines (and its stack traces) go through it")
    void slf4jSimpleUsesIt() {
        java.io.PrintStream original = System.err;
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        try {
            System.setErr(new java.io.PrintStream(written, true, StandardCharsets.UTF_8));
            EscapedLogLines.install();
            org.slf4j.LoggerFactory.getLogger("escaping-test").warn("pod {} failed", "a\nINFO forged");
        } finally {
            System.setErr(original);
        }
        assertThat(written.toString(StandardCharsets.UTF_8)).contains("pod a\\nINFO forged failed")
                .doesNotContain("a\nINFO");
    }
}
