package org.omomi.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omomi.dashboard.Dashboard;
import org.omomi.dashboard.Http;
import org.omomi.kernel.Parallel;

/**
 * The dashboard's view of a recommender run, over HTTP: a BPR run trained by {@link RecommendRun}
 * on generated interactions, served from a runs folder; for a chosen user the view's table is the
 * module's own top k ({@link Recommender#top} of the trained vector, seen items left out), with
 * the same scores, and its explanation rows are {@link Explanation#topItems} and
 * {@link Explanation#topDimensions} of each recommendation.
 */
class RecommenderViewTest {

    @TempDir
    static Path dir;

    static Dashboard server;
    static Http http;
    static Recommender recommender;

    @BeforeAll
    static void trainAndServe() throws Exception {
        Parallel.setThreads(1);
        Path data = dir.resolve("gen.csv");
        Synthetic.write(Synthetic.generate(Synthetic.Options.of(150, 90, 4).withPerUser(15)), data);
        Interactions x = InteractionFile.read(data, InteractionFile.Layout.CSV);
        ItemCatalog catalog = ItemCatalog.read(dir.resolve("gen.items.csv"));
        Split split = Split.leaveOneOut(x, 1, true, 1);
        Path run = dir.resolve("runs").resolve("bpr");
        RecommendRun.train(x, catalog, split, Training.Options.defaults(ModelKind.BPR).withEpochs(3).withDim(8), false, run,
                List.of(data), Map.of("file", data.toString()));
        recommender = new Recommender(RecommendRun.open(run));
        server = Dashboard.start(Dashboard.Options.defaults().withPort(0).withRunsDir(dir.resolve("runs")));
        http = new Http(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theRunIsListedAsAFinishedRecommenderWithTheView() {
        List<Map<String, Object>> runs = (List<Map<String, Object>>) http.get("api/runs").json().get("runs");
        assertEquals(1, runs.size(), String.valueOf(runs));
        assertEquals("recommend", runs.get(0).get("kind"));
        assertEquals("finished", runs.get(0).get("status"), "metrics.json marks it finished");
        List<Map<String, Object>> views = (List<Map<String, Object>>) http.get("api/runs/bpr").json().get("views");
        assertTrue(views.stream().anyMatch(v -> "recommendations".equals(v.get("id"))), String.valueOf(views));
    }

    @Test
    void aUsersRecommendationsAreTheModulesOwnTopKWithTheirExplanations() {
        for (String user : List.of("17", "3")) {
            for (int k : new int[] {10, 5}) {
                checkUser(user, k);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void checkUser(String user, int k) {
        Http.Answer a = http.get("api/runs/bpr/views/recommendations?user=" + user + "&k=" + k);
        assertEquals(200, a.status(), a.body());
        List<Map<String, Object>> blocks = (List<Map<String, Object>>) a.json().get("blocks");
        Map<String, Object> choice = blocks.get(0);
        assertEquals("choice", choice.get("type"));
        assertEquals("user", choice.get("parameter"));
        assertEquals(user, choice.get("selected"));
        assertEquals(recommender.run().data().users().ids(), choice.get("options"), "150 users: all in the menu, in index order");

        int u = recommender.user(user);
        List<Recommender.Recommendation> expected = recommender.top(recommender.vector(u, null, 0), k, recommender.seen(u));
        List<Map<String, Object>> tables = blocks.stream().filter(b -> "table".equals(b.get("type"))).toList();
        assertEquals(3, tables.size(), String.valueOf(blocks));
        List<List<Object>> top = (List<List<Object>>) tables.get(0).get("rows");
        assertEquals(k, top.size());
        List<List<Object>> reasons = new ArrayList<>();
        List<List<Object>> dimensions = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            Recommender.Recommendation rec = expected.get(i);
            String item = recommender.describe(rec.item());
            assertEquals(i + 1.0, top.get(i).get(0), "JSON numbers read back as doubles");
            assertEquals(item, top.get(i).get(1), "user " + user + " rank " + (i + 1));
            assertEquals((double) rec.score(), (Double) top.get(i).get(2), 0, "the module's score");
            Explanation e = rec.explanation();
            double parts = (Double) top.get(i).get(3) + (Double) top.get(i).get(4) + (Double) top.get(i).get(5);
            assertEquals(rec.score(), parts, 1e-4, "past items + residual + biases = the score");
            for (int j : e.topItems(RecommenderView.REASONS)) {
                reasons.add(List.of(i + 1.0, item, recommender.describe(e.pastItems()[j]), e.itemContributions()[j]));
            }
            for (int d : e.topDimensions(RecommenderView.REASONS)) {
                dimensions.add(List.of(i + 1.0, item, "d" + d, e.dimensions()[d]));
            }
        }
        assertEquals(reasons, tables.get(1).get("rows"));
        assertEquals(dimensions, tables.get(2).get("rows"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theFirstUserByDefaultAndAnUnknownUserSaidPlainly() {
        List<Map<String, Object>> blocks = (List<Map<String, Object>>) http.get("api/runs/bpr/views/recommendations").json().get("blocks");
        assertEquals(recommender.run().data().users().id(0), blocks.get(0).get("selected"));
        assertEquals("10", blocks.get(1).get("selected"));
        List<Map<String, Object>> unknown = (List<Map<String, Object>>) http.get("api/runs/bpr/views/recommendations?user=nobody").json()
                .get("blocks");
        assertTrue(String.valueOf(unknown.get(unknown.size() - 1).get("text")).contains("no user 'nobody'"), String.valueOf(unknown));
    }
}
