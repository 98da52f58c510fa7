package org.omomi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code omomi experiment NAME} with its own flags, and its errors. */
class ExperimentCliTest {

    @TempDir
    Path dir;

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Omomi.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void anExperimentRunsAloneWithItsFlags() throws Exception {
        Path out = dir.resolve("ad");
        String[] r = run("experiment", "ad-click", "--rows", "1500", "--epochs=10", "--out", out.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("✓ Interest match (w₂) ends with the largest weight."), r[1]);
        String json = Files.readString(out.resolve("tour.json"));
        assertTrue(json.contains("\"rows\":1500"), json);
        assertTrue(Files.exists(out.resolve("index.html")));
    }

    /** An application of the practical section, alone and in Japanese, on the module it runs (omomi-segment). */
    @Test
    void anApplicationRunsAloneInJapanese() throws Exception {
        Path out = dir.resolve("segment");
        String[] r = run("experiment", "segment", "--customers", "400", "--lang", "ja", "--out", out.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("✓ 学習した距離での k-means は仕込んだセグメントを見つけます"), r[1]);
        String json = Files.readString(out.resolve("tour.json"));
        assertTrue(json.contains("\"customers\":400") && json.contains("\"learned_finds_segments\":true"), json);
        assertTrue(Files.readString(out.resolve("index.html")).contains("応用3：顧客セグメンテーション"));
    }

    @Test
    void unknownNamesAndFlagsAreOneLineErrors() throws Exception {
        String[] bad = run("experiment", "telepathy", "--out", dir.toString());
        assertEquals("1", bad[0]);
        assertTrue(bad[2].contains("unknown experiment 'telepathy'; known: neuron, ad-click"), bad[2]);
        String[] flag = run("experiment", "neuron", "--steps", "5", "--out", dir.toString());
        assertEquals("1", flag[0]);
        assertTrue(flag[2].contains("unknown flag --steps; it has no flags of its own"), flag[2]);
        String[] value = run("experiment", "ad-click", "--rows", "many", "--out", dir.toString());
        assertTrue(value[2].contains("--rows: 'many' is not a positive whole number"), value[2]);
    }
}
