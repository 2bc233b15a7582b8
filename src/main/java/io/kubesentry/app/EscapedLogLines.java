package io.kubesentry.app;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The agent's log stream, one line per log call whatever the text holds: names, messages and exception texts
 * from the cluster reach the log, and a line break or an ANSI escape in them could forge a line or repaint a
 * terminal. Control characters are written as escapes ({@code \n}, {@code \r}, {@code \e}, {@code \u0085}).
 */
public final class EscapedLogLines extends PrintStream {

    EscapedLogLines(OutputStream out) {
        super(out, true, StandardCharsets.UTF_8);
    }

    /** The agent logs through slf4j-simple to standard error, which it looks up at each line: escaped from now. */
    public static void install() {
        if (!(System.err instanceof EscapedLogLines)) {
            System.setErr(new EscapedLogLines(System.err));
        }
    }

    @Override
    public void println(String line) {
        super.println(escaped(line));
    }

    @Override
    public void println(Object line) {
        super.println(escaped(String.valueOf(line)));
    }

    static String escaped(String line) {
        if (line == null) {
            return "null";
        }
        StringBuilder out = null;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            boolean control = c < 0x20 && c != '\t' || c >= 0x7f && c <= 0x9f || c == '\u2028' || c == '\u2029';
            if (control && out == null) {
                out = new StringBuilder(line.length() + 16).append(line, 0, i);
            }
            if (out != null) {
                if (!control) {
                    out.append(c);
                } else if (c == '\n') {
                    out.append("\\n");
                } else if (c == '\r') {
                    out.append("\\r");
                } else if (c == 0x1b) {
                    out.append("\\e");
                } else {
                    out.append(String.format("\\u%04x", (int) c));
                }
            }
        }
        return out == null ? line : out.toString();
    }
}
