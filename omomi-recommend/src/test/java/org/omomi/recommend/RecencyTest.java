package org.omomi.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omomi.io.Json;
import org.omomi.kernel.Parallel;

/**
 * On data whose users' tastes drift (each user moves from one planted taste to another over their
 * history), new users' latest interactions say more about what comes next than their first ones:
 * recency-weighted preference vectors beat uniform ones, and learned attention weights, which
 * start as recency and are fitted on the training users, find a decay of their own.
 */
class RecencyTest {

    static Generated.Setup setup;
    static Training.Trained bpr;
    static PreferenceVectors.History[] histories;
    static double halfLife;

    @BeforeAll
    static void train() throws Exception {
        Parallel.setThreads(1);
        setup = Generated.of(Synthetic.Options.of(1000, 500, 11).withDrift(1), 150);
        bpr = Training.train(setup.data(), setup.split(), Training.Options.defaults(ModelKind.BPR).withEpochs(10), null);
        histories = PreferenceVectors.History.training(setup.data(), setup.split());
        halfLife = HalfLife.fromData(setup.data(), setup.split());
    }

    private ColdStart.Result foldIn(Weighting w, AttentionWeights attention) {
        PreferenceVectors v = PreferenceVectors.calibrated(bpr.factors(), w, halfLife, attention, histories);
        ColdStart.Result r = ColdStart.evaluate(bpr.factors(), v, setup.popularity(), setup.cold(), 11, 10);
        System.out.printf(Locale.ROOT, "drifting tastes, %d new users, %s: HR@10 %.3f NDCG@10 %.3f (popularity %.3f)%n", r.users(), w.id(),
                r.hitRate(), r.ndcg(), r.popularityHitRate());
        return r;
    }

    @Test
    void recencyWeightingBeatsUniformWeightingWhenTastesDrift() {
        ColdStart.Result uniform = foldIn(Weighting.UNIFORM, null);
        ColdStart.Result recency = foldIn(Weighting.RECENCY, null);
        assertTrue(recency.hitRate() >= uniform.hitRate() + 0.05, "recency " + recency.hitRate() + " vs uniform " + uniform.hitRate());
        assertTrue(recency.ndcg() > uniform.ndcg(), "recency " + recency.ndcg() + " vs uniform " + uniform.ndcg());
        assertTrue(recency.hitRate() > recency.popularityHitRate() + 0.15);
    }

    @Test
    void learnedAttentionWeightsDecayWithAgeAndServeAtLeastAsWellAsUniform() throws Exception {
        PreferenceVectors uniform = PreferenceVectors.calibrated(bpr.factors(), Weighting.UNIFORM, halfLife, null, histories);
        AttentionWeights a = AttentionWeights.learn(bpr.factors(), setup.data(), setup.split(), halfLife, uniform.scale(), 10, 3);
        System.out.printf(Locale.ROOT, "learned attention: decay %.3f per half-life (recency: ln 2 = 0.693), rating slope %.3f%n", a.decay(),
                a.ratingSlope());
        assertTrue(a.decay() > 0.1, "older items weigh less: decay " + a.decay());
        ColdStart.Result att = foldIn(Weighting.ATTENTION, a);
        ColdStart.Result flat = foldIn(Weighting.UNIFORM, null);
        assertTrue(att.hitRate() >= flat.hitRate(), "attention " + att.hitRate() + " vs uniform " + flat.hitRate());
        AttentionWeights back = AttentionWeights.fromJson(castMap(Json.parse(Json.write(a.toJson()))));
        assertEquals(a.decay(), back.decay());
        assertEquals(a.query()[3], back.query()[3]);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }
}
