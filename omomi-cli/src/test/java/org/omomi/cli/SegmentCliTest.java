package org.omomi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** omomi segment: generate, segment (plain, learned metric, pairs), assign, rfm; and its one-line errors. */
class SegmentCliTest {

    @TempDir
    static Path dir;
    static Path customers;
    static Path pairs;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Omomi.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void generate() {
        customers = dir.resolve("customers.csv");
        pairs = dir.resolve("pairs.csv");
        Run r = run("segment", "generate", "--seed", "3", "--customers", "1000", "--out", customers.toString(), "--pairs", pairs.toString());
        assertEquals(0, r.code(), r.err());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> summary(Path out) throws Exception {
        return (Map<String, Object>) Json.parse(Files.readString(out.resolve("summary.json")));
    }

    @Test
    void plainKMeansFindsTheWrongGroupingAndNcaTheRightOne() throws Exception {
        Path plain = dir.resolve("plain");
        Run r = run("segment", "--data", customers.toString(), "--k", "auto", "--k-range", "2-6", "--labels", "segment", "--out", plain.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Object> s = summary(plain);
        assertEquals("omomi.segment/1", s.get("format"));
        assertEquals(4.0, s.get("k"));
        assertTrue((Double) s.get("ari") <= 0.05, "plain ARI " + s.get("ari"));
        for (String f : List.of("segments.csv", "profiles.csv", "model.json", "weights.png", "projection.png", "choose-k.png", "summary.json")) {
            assertTrue(Files.size(plain.resolve(f)) > 0, f);
        }
        Csv.Table seg = Csv.read(plain.resolve("segments.csv"));
        assertEquals(List.of("customer_id", "segment", "distance"), seg.header());
        assertEquals(1000, seg.rows().size());

        Path nca = dir.resolve("nca");
        r = run("segment", "--data", customers.toString(), "--k", "4", "--learn-metric", "nca", "--labels", "segment", "--explain", "C00007",
                "--out", nca.toString());
        assertEquals(0, r.code(), r.err());
        s = summary(nca);
        assertTrue((Double) s.get("ari") >= 0.95, "nca ARI " + s.get("ari"));
        assertEquals(800.0, s.get("evaluated_customers"), "judged on the 80% it did not learn from");
        @SuppressWarnings("unchecked")
        Map<String, Object> w = (Map<String, Object>) s.get("feature_weights");
        assertTrue((Double) w.get("visits_per_month") + (Double) w.get("basket_value") >= 0.9, w.toString());
        assertTrue(Files.exists(nca.resolve("customer-C00007.png")));
        assertTrue(r.out().contains("ARI 1.0000") || r.out().contains("ARI 0.9"), r.out());

        // assign: the customers themselves land where the segmentation put them.
        Path assigned = dir.resolve("assigned.csv");
        r = run("segment", "assign", nca.toString(), "--data", customers.toString(), "--out", assigned.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(Files.readString(nca.resolve("segments.csv")), Files.readString(assigned));
    }

    @Test
    void pairsSuperviseTheMetric() throws Exception {
        Path out = dir.resolve("pairs-out");
        Run r = run("segment", "--data", customers.toString(), "--k", "4", "--learn-metric", "nca", "--pairs", pairs.toString(),
                "--labels", "segment", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Object> s = summary(out);
        assertTrue((Double) s.get("ari") >= 0.95, "ARI " + s.get("ari"));
    }

    @Test
    void theSameSeedGivesTheSameSegments() throws Exception {
        Path a = dir.resolve("same-a");
        Path b = dir.resolve("same-b");
        for (Path p : List.of(a, b)) {
            Run r = run("--threads", "1", "segment", "--data", customers.toString(), "--k", "4", "--learn-metric", "triplet", "--labels", "segment",
                    "--seed", "5", "--out", p.toString());
            assertEquals(0, r.code(), r.err());
        }
        assertEquals(Files.readString(a.resolve("segments.csv")), Files.readString(b.resolve("segments.csv")));
        assertEquals(Files.readString(a.resolve("model.json")), Files.readString(b.resolve("model.json")));
    }

    @Test
    void rfmFromAGeneratedLog() throws Exception {
        Path log = dir.resolve("tx.csv");
        assertEquals(0, run("segment", "generate", "--transactions", "--customers", "300", "--out", log.toString()).code());
        Path rfm = dir.resolve("rfm.csv");
        Run r = run("segment", "rfm", "--transactions", log.toString(), "--as-of", "2025-01-01", "--keep", "type", "--out", rfm.toString());
        assertEquals(0, r.code(), r.err());
        Csv.Table t = Csv.read(rfm);
        assertEquals(List.of("customer_id", "recency_days", "frequency", "monetary", "type"), t.header());
        assertEquals(300, t.rows().size());
        Path out = dir.resolve("rfm-out");
        r = run("segment", "--data", rfm.toString(), "--k", "4", "--scaling", "log", "--labels", "type", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue((Double) summary(out).get("ari") >= 0.7, "RFM ARI " + summary(out).get("ari"));
    }

    @Test
    void errorsAreOneLineAndNameTheFileAndLine() throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "id,spend,visits\na,10,1\nb,12,2\nc,lots,3\nd,11,2\n");
        Run r = run("segment", "--data", bad.toString(), "--k", "2", "--out", dir.resolve("bad-out").toString());
        assertEquals(1, r.code());
        assertEquals("omomi: " + bad + " line 4, column 'spend': 'lots' is not a number (the column is numeric)\n", r.err());
        assertFalse(Files.exists(dir.resolve("bad-out")), "nothing written");

        Path few = dir.resolve("few.csv");
        Files.writeString(few, "id,spend\na,1\nb,1\nc,2\nd,2\n");
        r = run("segment", "--data", few.toString(), "--k", "3", "--out", dir.resolve("few-out").toString());
        assertEquals(1, r.code());
        assertEquals("omomi: k = 3 is more than the 2 distinct rows of the data\n", r.err());

        r = run("segment", "--data", customers.toString(), "--k", "4", "--learn-metric", "nca", "--out", dir.resolve("x").toString());
        assertEquals("omomi: learning a metric (nca) needs a label column or must-link / cannot-link pairs\n", r.err());
        r = run("segment", "--data", customers.toString(), "--k", "4", "--weights", "nope=2", "--labels", "segment", "--out", dir.resolve("y").toString());
        assertTrue(r.err().startsWith("omomi: --weights: no feature or column 'nope'; there are "), r.err());
        r = run("segment", "assign", dir.toString(), "--data", customers.toString(), "--out", dir.resolve("z.csv").toString());
        assertEquals("omomi: " + dir.resolve("model.json") + ": no such file (not a segmentation folder (no model.json))\n", r.err());
        r = run("segment", "rfm", "--transactions", customers.toString(), "--as-of", "2025-02-30", "--out", dir.resolve("r.csv").toString());
        assertEquals("omomi: --as-of: '2025-02-30' is not a date (expected YYYY-MM-DD)\n", r.err());
    }
}
