package org.omomi.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omomi.kernel.Parallel;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Inputs;
import org.omomi.tensor.IntTensor;

/**
 * The must-show figures of BPR on planted factors with a popularity skew (1,000 users × 500 items,
 * 40 interactions a user on average; the last 100 users are new users the model never sees):
 * BPR against popularity on the full catalogue and on the sampled protocol, a random scorer as
 * the check of the candidate sets, the planted item factors recovered from the learned vectors,
 * new users folded in as weighted preference vectors, the popularity fallback, and explanations
 * that add up to the score. One model, trained once with a fixed seed on one thread.
 */
class ImplicitFeedbackTest {

    static Generated.Setup setup;
    static Training.Trained bpr;
    static Evaluator evaluator;
    static Map<String, Double> model;
    static Map<String, Double> popularity;

    @BeforeAll
    static void train() throws Exception {
        Parallel.setThreads(1);
        setup = Generated.of(Synthetic.Options.of(1000, 500, 7), 100);
        bpr = Training.train(setup.data(), setup.split(), Training.Options.defaults(ModelKind.BPR).withEpochs(12), null);
        evaluator = new Evaluator(setup.data(), setup.split(), 10, 3);
        model = evaluator.evaluate(Evaluator.of(bpr.factors()));
        popularity = evaluator.evaluate(Evaluator.popularity(setup.data(), setup.split()));
        System.out.printf(Locale.ROOT, "BPR on %d users: %s%npopularity: %s%n", evaluator.users(), model, popularity);
    }

    @Test
    void bprBeatsPopularityOnTheFullCatalogueAndOnTheSampledProtocol() {
        assertTrue(model.get("hr@10") >= popularity.get("hr@10") + 0.15, "full-catalogue HR@10 " + model.get("hr@10")
                + " vs popularity " + popularity.get("hr@10"));
        assertTrue(model.get("hr@10_sampled") >= 0.55, "sampled HR@10 " + model.get("hr@10_sampled"));
        assertTrue(model.get("hr@10_sampled") >= popularity.get("hr@10_sampled") + 0.20,
                "sampled HR@10 " + model.get("hr@10_sampled") + " vs popularity " + popularity.get("hr@10_sampled"));
        assertTrue(model.get("ndcg@10") > popularity.get("ndcg@10"), "NDCG@10 " + model + " vs " + popularity);
        assertEquals(model.get("hr@10"), model.get("recall@10"), 1e-12, "one held-out item per user: recall@10 is HR@10");
        assertTrue(model.get("coverage@10") > popularity.get("coverage@10"), "personal lists cover more of the catalogue");
    }

    @Test
    void aRandomScorerLandsNearTenInAHundredAndOneOnTheSampledProtocol() {
        Map<String, Double> random = evaluator.evaluate(Evaluator.random(setup.data().itemCount(), 11));
        // 900 users: the standard error of a 10/101 rate is 0.01.
        assertEquals(10.0 / 101, random.get("hr@10_sampled"), 0.03, "sampled " + random);
        // Full catalogue: ~10 of the ≈ 460 items a user has not had.
        assertEquals(10.0 / 460, random.get("hr@10"), 0.015, "full " + random);
    }

    @Test
    void learnedItemVectorsExplainThePlantedItemFactors() {
        double r2 = Generated.plantedR2(setup.truth().itemFactors(), bpr.factors());
        System.out.printf(Locale.ROOT, "R² of planted item factors on learned item vectors: %.3f%n", r2);
        assertTrue(r2 >= 0.8, "R² " + r2);
    }

    @Test
    void theVectorsScoreAsTheTrainedGraphDoes() {
        Factors f = bpr.factors();
        int[] users = {0, 17, 512};
        int[] items = new int[users.length * 5];
        for (int k = 0; k < items.length; k++) {
            items[k] = (k * 37) % f.itemCount();
        }
        float[] graph;
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            bpr.model().eval();
            graph = bpr.model().call(Inputs.of("user", IntTensor.of(users, 3, 1)).with("item", IntTensor.of(items, 3, 5))).toArray();
        }
        for (int u = 0; u < users.length; u++) {
            float[] s = f.scores(users[u]);
            for (int j = 0; j < 5; j++) {
                assertEquals(graph[u * 5 + j], s[items[u * 5 + j]], 1e-5, "user " + users[u] + ", item " + items[u * 5 + j]);
            }
        }
    }

    @Test
    void explanationsAddUpToTheScoreWithinOneInAHundredThousand() {
        Recommender.Recommendation worst = null;
        double worstGap = 0;
        Factors f = bpr.factors();
        PreferenceVectors.History[] histories = PreferenceVectors.History.training(setup.data(), setup.split());
        PreferenceVectors recency = PreferenceVectors.calibrated(f, Weighting.RECENCY, HalfLife.fromData(setup.data(), setup.split()), null, histories);
        for (int u = 0; u < 900; u += 30) {
            int[] seen = histories[u].items().clone();
            Arrays.sort(seen);
            for (UserVector v : List.of(PreferenceVectors.trained(f, u, histories[u]), recency.weighted(histories[u], Interactions.NO_TIME))) {
                float[] scores = f.scores(v.vector(), v.bias());
                for (int i : Ranking.top(scores, 10, seen)) {
                    Explanation e = Explanation.of(f, v, i);
                    assertEquals(scores[i], e.score(), 0, "the explained score is the model's");
                    double gap = Math.max(Math.abs(e.sumByItems() - scores[i]), Math.abs(e.sumByDimensions() - scores[i]));
                    if (gap > worstGap) {
                        worstGap = gap;
                        worst = new Recommender.Recommendation(i, scores[i], e);
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "largest |Σ contributions − score| over 600 explanations: %.2e%n", worstGap);
        assertTrue(worstGap <= 1e-5, "contributions miss the score by " + worstGap + " at " + worst);
        // The decomposition names the history: a weighted vector has no residual beyond rounding.
        UserVector w = recency.weighted(histories[3], Interactions.NO_TIME);
        assertTrue(Math.abs(Explanation.of(f, w, 5).residual()) < 1e-5, "a weighted preference vector is its items");
    }

    @Test
    void newUsersFoldedInWithoutRetrainingBeatPopularity() {
        PreferenceVectors.History[] histories = PreferenceVectors.History.training(setup.data(), setup.split());
        Factors f = bpr.factors();
        for (Weighting w : List.of(Weighting.UNIFORM, Weighting.RECENCY)) {
            PreferenceVectors v = PreferenceVectors.calibrated(f, w, HalfLife.fromData(setup.data(), setup.split()), null, histories);
            ColdStart.Result r = ColdStart.evaluate(f, v, setup.popularity(), setup.cold(), 11, 10);
            System.out.printf(Locale.ROOT, "fold-in (%s, s = %.3f) of %d new users with ≥ 10 interactions: HR@10 %.3f, popularity %.3f%n",
                    w.id(), v.scale(), r.users(), r.hitRate(), r.popularityHitRate());
            assertTrue(r.users() >= 80, "most new users have ≥ 10 interactions: " + r.users());
            assertEquals(0, r.fallbacks());
            assertTrue(r.hitRate() >= r.popularityHitRate() + 0.15, w + ": fold-in " + r.hitRate() + " vs popularity " + r.popularityHitRate());
        }
    }

    @Test
    void oneInteractionFallsBackToPopularityAndSaysSo() {
        Factors f = bpr.factors();
        PreferenceVectors v = PreferenceVectors.calibrated(f, Weighting.UNIFORM, 1, null,
                PreferenceVectors.History.training(setup.data(), setup.split()));
        PreferenceVectors.History one = setup.cold().get(0).first(1);
        UserVector u = v.weighted(one, Interactions.NO_TIME);
        assertTrue(u.fallback());
        assertTrue(u.source().contains("popularity fallback") && u.source().contains("1 interaction"), u.source());
        float[] pop = setup.popularity();
        int[] seen = {one.items()[0]};
        assertArrayEquals(Ranking.top(pop, 10, seen), Ranking.top(PreferenceVectors.scores(f, u, pop), 10, seen),
                "the fallback ranks by training popularity");
        assertFalse(Arrays.stream(Ranking.top(pop, 10, seen)).anyMatch(i -> i == one.items()[0]), "not the item they had");
        UserVector two = v.weighted(setup.cold().get(0).first(2), Interactions.NO_TIME);
        assertFalse(two.fallback(), "two interactions make a preference vector");
    }
}
