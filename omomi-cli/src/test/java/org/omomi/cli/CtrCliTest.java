package org.omomi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omomi.data.Csv;
import org.omomi.io.Json;

/** {@code omomi ctr}: the README's three commands on a generated log, bad rows, and outputs that are whole or absent. */
class CtrCliTest {

    @TempDir
    static Path dir;
    static Path log;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Omomi.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void generate() {
        log = dir.resolve("clicks.csv");
        Run g = run("ctr", "generate", "--rows", "20000", "--seed", "3", "--out", log.toString());
        assertEquals(0, g.code(), g.err());
        assertTrue(g.out().contains("wrote 20,000 impressions"), g.out());
    }

    @Test
    void trainExplainAndPredictOnAGeneratedLog() throws IOException {
        Path runDir = dir.resolve("run-lr");
        Run t = run("ctr", "train", "--data", log.toString(), "--model", "lr", "--out", runDir.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("held out: auc"), t.out());
        for (String f : List.of("ctr.json", "model.json", "model.safetensors", "preprocessing.json", "provenance.json", "history.jsonl",
                "metrics.json", "calibration.png", "checkpoints/last.safetensors")) {
            assertTrue(Files.isRegularFile(runDir.resolve(f)), f);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.parse(Files.readString(runDir.resolve("metrics.json")));
        for (String k : List.of("auc", "logloss", "normalized_entropy", "ece")) {
            assertTrue(m.get(k) instanceof Double, k + " in metrics.json");
        }
        assertTrue((Double) m.get("auc") > 0.7, "auc " + m.get("auc"));

        Run e = run("ctr", "explain", runDir.toString(), "--row", "5");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("interest match now weighs most"), e.out());
        assertTrue(e.out().contains("row 5 (line 6)"), e.out());
        @SuppressWarnings("unchecked")
        Map<String, Object> imp = (Map<String, Object>) Json.parse(Files.readString(runDir.resolve("importance.json")));
        @SuppressWarnings("unchecked")
        Map<String, Object> features = (Map<String, Object>) imp.get("features");
        assertEquals("interest_match", features.keySet().iterator().next(), "ranked first");
        @SuppressWarnings("unchecked")
        Map<String, Object> interest = (Map<String, Object>) features.get("interest_match");
        assertTrue(interest.containsKey("mean_abs_ig") && interest.containsKey("standardized_weight"), interest.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> row = (Map<String, Object>) imp.get("row");
        assertTrue(Math.abs((Double) row.get("delta")) < 1e-4, "δ " + row.get("delta"));
        assertTrue(Files.isRegularFile(runDir.resolve("importance.png")) && Files.isRegularFile(runDir.resolve("row_5.png")));

        Run inspect = run("inspect", runDir.toString());
        assertEquals(0, inspect.code(), inspect.err());
        assertTrue(Files.isRegularFile(runDir.resolve("report").resolve("index.html")), "omomi inspect reads a click run folder too");

        Path scored = dir.resolve("scored.csv");
        Run p = run("ctr", "predict", runDir.toString(), "--input", log.toString(), "--output", scored.toString());
        assertEquals(0, p.code(), p.err());
        Csv.Table in = Csv.read(log);
        Csv.Table out = Csv.read(scored);
        assertEquals(in.rows().size(), out.rows().size());
        assertEquals("probability", out.header().get(out.header().size() - 1));
        for (int i = 0; i < in.rows().size(); i += 997) {
            assertEquals(List.of(in.rows().get(i)), List.of(java.util.Arrays.copyOf(out.rows().get(i), in.header().size())),
                    "row " + i + " kept in order");
            double q = Double.parseDouble(out.rows().get(i)[in.header().size()]);
            assertTrue(q > 0 && q < 1);
        }
    }

    @Test
    void aMalformedRowStopsTheRunWithItsFileAndLineOrIsSkippedAndCounted() throws IOException {
        List<String> lines = Files.readAllLines(log).subList(0, 3000);
        lines.set(1500, lines.get(1500) + ",surplus");
        Path bad = dir.resolve("bad.csv");
        Files.write(bad, lines);
        Path runDir = dir.resolve("run-bad");
        Run t = run("ctr", "train", "--data", bad.toString(), "--out", runDir.toString());
        assertEquals(1, t.code());
        assertEquals("omomi: " + bad + " line 1501: 12 fields, but the header has 11", t.err().strip());
        assertFalse(Files.exists(runDir.resolve("model.safetensors")), "nothing trained, nothing saved");
        Run s = run("ctr", "train", "--data", bad.toString(), "--out", runDir.toString(), "--skip-bad-rows", "--epochs", "2");
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("1 malformed rows skipped (first: " + bad + " line 1501"), s.out());

        Path scored = dir.resolve("never.csv");
        Files.writeString(scored, "left as it was\n");
        Run p = run("ctr", "predict", runDir.toString(), "--input", bad.toString(), "--output", scored.toString());
        assertEquals(1, p.code());
        assertTrue(p.err().contains(bad + " line 1501"), p.err());
        assertEquals("left as it was\n", Files.readString(scored), "a failed prediction leaves the output as it was");
        Run ps = run("ctr", "predict", runDir.toString(), "--input", bad.toString(), "--output", scored.toString(), "--skip-bad-rows");
        assertEquals(0, ps.code(), ps.err());
        assertEquals(2998, Csv.read(scored).rows().size(), "every row but the malformed one");
    }

    @Test
    void criteoLogsTrainAndPredictWithAndWithoutTheirLabel() throws IOException {
        Path tsv = dir.resolve("day.tsv");
        assertEquals(0, run("ctr", "generate", "--rows", "3000", "--seed", "4", "--format", "criteo", "--out", tsv.toString()).code());
        Path runDir = dir.resolve("run-criteo");
        Run t = run("ctr", "train", "--data", tsv.toString(), "--format", "criteo", "--model", "fm", "--dim", "4", "--hash-buckets", "4096",
                "--epochs", "2", "--out", runDir.toString());
        assertEquals(0, t.code(), t.err());
        List<String> unlabelled = Files.readAllLines(tsv).subList(0, 100).stream().map(l -> l.substring(l.indexOf('\t') + 1)).toList();
        Path noLabel = dir.resolve("nolabel.tsv");
        Files.write(noLabel, unlabelled);
        Path scored = dir.resolve("criteo-scored.csv");
        Run p = run("ctr", "predict", runDir.toString(), "--input", noLabel.toString(), "--output", scored.toString());
        assertEquals(0, p.code(), p.err());
        Csv.Table out = Csv.read(scored);
        assertEquals(List.of("line", "probability"), out.header());
        assertEquals(100, out.rows().size());
        assertEquals("100", out.rows().get(99)[0]);
    }
}
