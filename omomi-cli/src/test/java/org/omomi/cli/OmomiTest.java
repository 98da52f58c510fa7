package org.omomi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class OmomiTest {

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Omomi.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void demoLearnsXor() {
        Run r = run("demo", "--steps", "2000", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("click probability σ(z) = 0.6106"), r.out());
        // The last predictions line: XOR learned means the two 1-targets are high, the others low.
        String line = r.out().lines().filter(l -> l.contains("predictions")).findFirst().orElseThrow();
        String[] p = line.substring(line.indexOf('[') + 1, line.indexOf(']')).split(",\\s*");
        assertTrue(Float.parseFloat(p[0]) < 0.1f && Float.parseFloat(p[3]) < 0.1f, line);
        assertTrue(Float.parseFloat(p[1]) > 0.9f && Float.parseFloat(p[2]) > 0.9f, line);
    }

    @Test
    void badInputGetsOneLineAndANonZeroExit() {
        Run unknown = run("demo", "--nonsense");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("omomi: Unknown option: '--nonsense'"), unknown.err());
        Run invalid = run("demo", "--steps", "0");
        assertEquals(1, invalid.code());
        assertEquals("omomi: --steps must be at least 1, got 0", invalid.err().strip());
        assertFalse(invalid.err().contains("at org."), "no stack trace without --verbose");
        Run threads = run("--threads", "0", "info");
        assertEquals(2, threads.code());
        assertTrue(threads.err().contains("--threads must be at least 1"), threads.err());
    }

    @Test
    void versionAndHelp() {
        Run v = run("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("omomi "), v.out());
        Run h = run("--help");
        assertEquals(0, h.code());
        assertTrue(h.out().contains("demo") && h.out().contains("info"), h.out());
    }
}
