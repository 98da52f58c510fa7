package org.omomi.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omomi.explain.plot.Png;
import org.omomi.io.SavedModel;
import org.omomi.kernel.Parallel;

/**
 * A run folder written by training, opened again: the same vectors bit for bit, the same split
 * and index; and what a run does for people from it — top k with explanations, similar items, new
 * users folded in from a file, the evaluation beside popularity, the item map — with clear
 * errors for unknown ids.
 */
class RunFolderTest {

    @TempDir
    static Path dir;

    static Path data;
    static RecommendRun trained;
    static RecommendRun opened;

    @BeforeAll
    static void trainAndOpen() throws Exception {
        Parallel.setThreads(1);
        data = dir.resolve("gen.csv");
        Synthetic.write(Synthetic.generate(Synthetic.Options.of(200, 120, 4).withPerUser(20)), data);
        Interactions x = InteractionFile.read(data, InteractionFile.Layout.CSV);
        ItemCatalog catalog = ItemCatalog.read(dir.resolve("gen.items.csv"));
        Split split = Split.leaveOneOut(x, 1, true, 1);
        trained = RecommendRun.train(x, catalog, split, Training.Options.defaults(ModelKind.BPR).withEpochs(3).withDim(8), true,
                dir.resolve("run"), List.of(data), Map.of("file", data.toString()));
        opened = RecommendRun.open(dir.resolve("run"));
    }

    @Test
    void theFolderHoldsASavedModelAndReopensBitForBit() throws Exception {
        Path run = dir.resolve("run");
        for (String f : List.of("model.json", "model.safetensors", "provenance.json", "recommend.json", "users.csv", "items.csv",
                "interactions.csv", "history.jsonl", "attention.json")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
        }
        assertTrue(SavedModel.isSavedModel(run));
        assertArrayEquals(trained.factors().items(), opened.factors().items());
        assertArrayEquals(trained.factors().users(), opened.factors().users());
        assertArrayEquals(trained.factors().itemBias(), opened.factors().itemBias());
        assertEquals(trained.split(), opened.split());
        assertEquals(trained.data().users().ids(), opened.data().users().ids());
        assertEquals(trained.data().size(), opened.data().size());
        for (int k = 0; k < 50; k++) {
            assertEquals(trained.data().item(k), opened.data().item(k));
            assertEquals(trained.data().time(k), opened.data().time(k));
        }
        assertEquals(trained.halfLife(), opened.halfLife());
        assertEquals(trained.attention().decay(), opened.attention().decay());
        assertEquals("item 7", opened.catalog().title("7"), "the catalogue travels with the run");
        String model = Files.readString(run.resolve("model.json"));
        assertTrue(model.contains("\"name\": \"bpr\"") || model.contains("\"name\":\"bpr\""), model.substring(0, 200));
    }

    @Test
    void topRecommendationsLeaveOutWhatTheUserHadAndAreExplained() {
        Recommender r = new Recommender(opened);
        int u = r.user("17");
        int[] seen = r.seen(u);
        for (Weighting w : new Weighting[] {null, Weighting.UNIFORM, Weighting.RECENCY, Weighting.ATTENTION}) {
            UserVector v = r.vector(u, w, 0);
            List<Recommender.Recommendation> top = r.top(v, 5, seen);
            assertEquals(5, top.size());
            for (Recommender.Recommendation rec : top) {
                assertTrue(Arrays.binarySearch(seen, rec.item()) < 0, "not an item the user had");
                assertEquals(rec.score(), rec.explanation().sumByItems(), 1e-5);
                assertEquals(rec.score(), rec.explanation().sumByDimensions(), 1e-5);
                assertEquals(seen.length, rec.explanation().pastItems().length);
            }
            for (int j = 1; j < top.size(); j++) {
                assertTrue(top.get(j - 1).score() >= top.get(j).score());
            }
        }
        assertTrue(r.describe(r.item("3")).matches("item 3 \\[group \\d\\]"), r.describe(r.item("3")));
    }

    @Test
    void similarItemsAreTheClosestInAngle() {
        Recommender r = new Recommender(opened);
        int i = r.item("5");
        List<Recommender.Similar> s = r.similar(i, 4);
        assertEquals(4, s.size());
        for (Recommender.Similar x : s) {
            assertFalse(x.item() == i);
            assertEquals(opened.factors().cosine(i, x.item()), x.cosine(), 1e-6);
        }
        for (int j = 0; j < opened.data().itemCount(); j++) {
            int other = j;
            if (j != i && s.stream().noneMatch(x -> x.item() == other)) {
                assertTrue(opened.factors().cosine(i, j) <= s.get(3).cosine() + 1e-6, "item " + j + " is closer than the fourth");
            }
        }
    }

    @Test
    void newUsersFoldInFromAFileAndOneInteractionFallsBack() throws Exception {
        Path f = Files.writeString(dir.resolve("new.csv"), "user,item,rating,timestamp\nnew1,3,1,100\nnew1,9,1,200\nnew1,12,1,300\nnew2,4,1,50\n");
        Recommender r = new Recommender(opened);
        List<Recommender.FoldedIn> users = r.foldIn(f, InteractionFile.Layout.CSV, Weighting.RECENCY, 0, 5);
        assertEquals(2, users.size());
        Recommender.FoldedIn one = users.get(0);
        assertEquals("new1", one.user());
        assertFalse(one.vector().fallback());
        assertTrue(one.vector().source().startsWith("recency-weighted (half-life "), one.vector().source());
        assertEquals(5, one.recommendations().size());
        assertTrue(one.recommendations().stream().noneMatch(x -> x.item() == r.item("3") || x.item() == r.item("9")));
        double[] c = one.vector().coefficients();
        assertTrue(c[2] > c[1] && c[1] > c[0], "the latest counts most: " + Arrays.toString(c));
        Recommender.FoldedIn two = users.get(1);
        assertTrue(two.vector().fallback());
        assertTrue(two.vector().source().startsWith("popularity fallback: 1 interaction"), two.vector().source());
        assertNull(two.recommendations().get(0).explanation());

        Path bad = Files.writeString(dir.resolve("bad.csv"), "user,item\nnew1,3\nnew1,nope\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> r.foldIn(bad, InteractionFile.Layout.CSV, Weighting.UNIFORM, 0, 5));
        assertTrue(e.getMessage().startsWith(bad + " line 3: unknown item 'nope'; the run knows 120 items"), e.getMessage());
    }

    @Test
    void unknownIdsAndFoldersSayWhatIsWrong() {
        Recommender r = new Recommender(opened);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.user("9999"));
        assertEquals("unknown user '9999': the data has 200 users (1, 2, 3, 4, 5, …)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> r.item("x1"));
        assertTrue(e.getMessage().startsWith("unknown item 'x1': the data has 120 items"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RecommendRun.open(dir));
        assertTrue(e.getMessage().contains("not a recommender run folder"), e.getMessage());
    }

    @Test
    void theEvaluationPutsPopularityBeside() {
        Map<String, Double> m = new Recommender(opened).evaluate(10, 1);
        for (String k : List.of("hr@10", "ndcg@10", "recall@10", "hr@10_sampled", "ndcg@10_sampled", "coverage@10")) {
            assertTrue(m.containsKey(k) && m.containsKey("popularity_" + k), k + " in " + m.keySet());
        }
        assertFalse(m.containsKey("rmse"), "no ratings to predict");
        assertEquals(200.0, m.get("users"));
    }

    @Test
    void theItemMapIsAPictureOfTheGroups() throws Exception {
        Path png = dir.resolve("map.png");
        ItemMap.Result m = ItemMap.write(opened, png, 600, 400);
        assertEquals(120, m.coordinates().length);
        assertEquals(List.of("group 0", "group 1", "group 2", "group 3", "group 4", "group 5", "group 6", "group 7"), m.groups());
        assertTrue(m.explained()[0] >= m.explained()[1] && m.explained()[0] + m.explained()[1] <= 1 + 1e-9);
        assertEquals(600, Png.readGrey(png).width());
    }
}
