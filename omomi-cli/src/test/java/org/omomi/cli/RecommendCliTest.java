package org.omomi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omomi.io.Json;

/**
 * {@code omomi recommend}: generate, train, top with explanations, similar, eval (and its
 * eval.json keys), fold-in with the popularity fallback, plot; and one-line errors for unknown
 * ids, malformed files and missing run folders.
 */
class RecommendCliTest {

    @TempDir
    static Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Omomi.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private static String s(Path p) {
        return p.toString();
    }

    @BeforeAll
    static void generateAndTrain() {
        Run g = run("--threads", "1", "recommend", "generate", "--users", "200", "--items", "120", "--per-user", "20", "--seed", "3",
                "--out", s(dir.resolve("gen.csv")));
        assertEquals(0, g.code(), g.err());
        assertTrue(g.out().contains("interactions of 200 users with 120 items"), g.out());
        Run t = run("--threads", "1", "recommend", "train", "--data", s(dir.resolve("gen.csv")), "--model", "bpr", "--epochs", "3",
                "--dim", "8", "--out", s(dir.resolve("run")));
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("trained bpr (8 factors) for 3 epochs"), t.out());
    }

    @Test
    void generateWritesThePlantedFactorsBeside() throws Exception {
        assertTrue(Files.readString(dir.resolve("gen.items.csv")).startsWith("item,title,genres,group,popularity_rank,f0,"));
        assertTrue(Files.readString(dir.resolve("gen.users.csv")).startsWith("user,f0,"));
        assertTrue(Files.readString(dir.resolve("gen.csv")).startsWith("user,item,rating,timestamp\n1,"));
    }

    @Test
    void topExplainsEachRecommendation() {
        Run r = run("recommend", "top", s(dir.resolve("run")), "--user", "5", "-k", "3", "--explain");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("user 5: "), r.out());
        assertTrue(r.out().contains("  1. item ") && r.out().contains("  3. item "), r.out());
        assertTrue(r.out().contains("because of: ") && r.out().contains("dimensions: d"), r.out());
        Run w = run("recommend", "top", s(dir.resolve("run")), "--user", "5", "--vector", "recency", "--half-life", "3d");
        assertEquals(0, w.code(), w.err());
        assertTrue(w.out().contains("recency-weighted (half-life 3.0 days)"), w.out());
    }

    @Test
    void inspectReadsARecommenderRunFolder() {
        Run r = run("inspect", s(dir.resolve("run")), "--out", s(dir.resolve("report")));
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(dir.resolve("report").resolve("index.html")));
        assertTrue(r.out().contains("a recommender: 'omomi recommend top"), r.out());
    }

    @Test
    void similarAndPlot() throws Exception {
        Run r = run("recommend", "similar", s(dir.resolve("run")), "--item", "7", "-k", "4");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("items like item 7 [group ") && r.out().contains("  4. item "), r.out());
        Run p = run("recommend", "plot", s(dir.resolve("run")), "--out", s(dir.resolve("map.png")));
        assertEquals(0, p.code(), p.err());
        assertTrue(Files.size(dir.resolve("map.png")) > 1000);
        assertTrue(p.out().contains("8 colours (group 0, group 1"), p.out());
    }

    @Test
    @SuppressWarnings("unchecked")
    void evalPrintsATableAndWritesEvalJson() throws Exception {
        Run r = run("recommend", "eval", s(dir.resolve("run")));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("hr@10") && r.out().contains("popularity") && r.out().contains("(100 neg.)"), r.out());
        Map<String, Object> m = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("run").resolve("eval.json")));
        for (String k : new String[] {"hr@10", "ndcg@10", "recall@10", "hr@10_sampled", "popularity_hr@10", "popularity_ndcg@10",
            "popularity_recall@10", "popularity_hr@10_sampled"}) {
            assertTrue(m.get(k) instanceof Number, k + " in " + m.keySet());
        }
        assertFalse(m.containsKey("rmse"), "implicit data: no rmse");
    }

    @Test
    void explicitRatingsTrainMatrixFactorizationWithRmse() throws Exception {
        Run g = run("--threads", "1", "recommend", "generate", "--users", "150", "--items", "60", "--per-user", "20", "--ratings", "0.5",
                "--out", s(dir.resolve("rated.csv")));
        assertEquals(0, g.code(), g.err());
        Run t = run("--threads", "1", "recommend", "train", "--data", s(dir.resolve("rated.csv")), "--model", "mf", "--epochs", "3",
                "--out", s(dir.resolve("mf")));
        assertEquals(0, t.code(), t.err());
        Run e = run("recommend", "eval", s(dir.resolve("mf")));
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("rmse") && e.out().contains("training mean"), e.out());
        assertTrue(Files.readString(dir.resolve("mf").resolve("eval.json")).contains("\"rmse\":"));
    }

    @Test
    void foldInServesNewUsersAndSaysWhenItFallsBack() throws Exception {
        Path f = Files.writeString(dir.resolve("new.csv"), "user,item,rating,timestamp\nann,3,1,10\nann,8,1,20\nann,9,1,30\nbo,4,1,10\n");
        Run r = run("recommend", "fold-in", s(dir.resolve("run")), "--interactions", s(f), "-k", "2", "--explain");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("user ann: 3 interactions; recency-weighted"), r.out());
        assertTrue(r.out().contains("user bo: 1 interaction; popularity fallback: 1 interaction"), r.out());
        assertTrue(r.out().contains("training interactions"), r.out());
    }

    @Test
    void badInputGetsOneLineThatSaysWhatAndWhere() throws Exception {
        Run u = run("recommend", "top", s(dir.resolve("run")), "--user", "nobody");
        assertEquals(1, u.code());
        assertEquals("omomi: unknown user 'nobody': the data has 200 users (1, 2, 3, 4, 5, …)", u.err().strip());
        Run i = run("recommend", "similar", s(dir.resolve("run")), "--item", "999");
        assertEquals(1, i.code());
        assertTrue(i.err().startsWith("omomi: unknown item '999': the data has 120 items"), i.err());
        Path bad = Files.writeString(dir.resolve("bad.csv"), "user,item,rating\n1,2,3\n1,3,x\n");
        Run m = run("recommend", "train", "--data", s(bad), "--out", s(dir.resolve("never")));
        assertEquals(1, m.code());
        assertEquals("omomi: " + bad + " line 3: rating 'x' is not a number", m.err().strip());
        assertFalse(Files.exists(dir.resolve("never").resolve("model.safetensors")));
        Path unknown = Files.writeString(dir.resolve("unknown.csv"), "user,item\nzed,1\nzed,nope\n");
        Run f = run("recommend", "fold-in", s(dir.resolve("run")), "--interactions", s(unknown));
        assertEquals(1, f.code());
        assertTrue(f.err().startsWith("omomi: " + unknown + " line 3: unknown item 'nope'"), f.err());
        Run n = run("recommend", "eval", s(dir));
        assertEquals(1, n.code());
        assertTrue(n.err().contains("not a recommender run folder"), n.err());
        Run missing = run("recommend", "train", "--data", s(dir.resolve("absent.csv")), "--out", s(dir.resolve("x")));
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("absent.csv: no such file"), missing.err());
    }
}
