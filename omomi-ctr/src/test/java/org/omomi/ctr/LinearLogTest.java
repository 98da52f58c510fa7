package org.omomi.ctr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omomi.train.Trainer;

/**
 * Must-show items on a linear generated log (no planted interaction): 100,000 rows, seed 21,
 * 40% held out (40,000 rows, so the calibration buckets' sampling noise stays near 0.003).
 * Logistic regression with an exact vocabulary (every value seen once gets its id) is the
 * reference the other runs are compared with.
 */
class LinearLogTest {

    static Path dir;
    static Path log;
    static Truth truth;
    static CtrRun.Result full;

    @BeforeAll
    static void trainTheReference() throws IOException {
        dir = Files.createTempDirectory("ctr-linear");
        log = dir.resolve("linear.csv");
        truth = ClickGenerator.write(log, new ClickGenerator.Options(100_000, 21, LogFormat.CSV, 0), Progress.NONE);
        full = Runs.train(exact(), dir.resolve("lr-vocabulary"));
    }

    @AfterAll
    static void clean() throws IOException {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static CtrConfig exact() {
        CtrConfig c = Runs.config(log, ModelKind.LR, 0.4);
        return c.withFeatures(c.features().withMinCount(1));
    }

    @Test
    void logisticRegressionRanksTheArticlesFeaturesInTheirTrueOrderAndIsCalibrated() {
        ClickImportance imp = Runs.importance(full, 2000);
        List<String> truthOrder = List.of("interest_match", "ad_frequency", "age"); // |weights| 1.0, 0.6, 0.3
        assertEquals(truthOrder, Runs.threeByWeight(imp), "by standardized weight");
        assertEquals(truthOrder, Runs.threeByIg(imp), "by mean |IG|");
        double auc = full.metric("auc");
        double trueAuc = full.metric("true_auc");
        System.out.printf(Locale.ROOT, "linear lr: auc %.4f, true model %.4f (gap %.4f); ece %.4f; weights %s%n", auc, trueAuc, trueAuc - auc,
                full.metric("ece"), java.util.Arrays.toString(full.model().stateDict().get("dense.weight").toArray()));
        assertTrue(Math.abs(trueAuc - auc) <= 0.005, "AUC within 0.005 of the true model's: " + auc + " vs " + trueAuc);
        assertTrue(full.metric("ece") <= 0.01, "calibration error " + full.metric("ece"));
        ArticleTable table = ArticleTable.of(full.features(), CtrConfig.ARTICLE_START,
                full.model().stateDict().get("dense.weight").toArray(), imp, truth);
        assertTrue(table.interestWeighsMost());
        assertEquals("interest match now weighs most", table.verdict());
        assertEquals(0.9, table.rows().get(1).start());
    }

    @Test
    void hashingIntoTwoToTheTwentyBucketsIsTheVocabularyAndSixtyFourBucketsLose() throws IOException {
        CtrRun.Result wide = Runs.train(exact().withFeatures(exact().features().withHashBuckets(1 << 20)), dir.resolve("lr-hash-2e20"));
        CtrRun.Result narrow = Runs.train(exact().withFeatures(exact().features().withHashBuckets(1 << 6)), dir.resolve("lr-hash-2e6"));
        double vocabulary = full.metric("auc");
        System.out.printf(Locale.ROOT, "hashing: vocabulary auc %.4f, 2^20 buckets %.4f (Δ %+.4f), 2^6 buckets %.4f (Δ %+.4f)%n", vocabulary,
                wide.metric("auc"), wide.metric("auc") - vocabulary, narrow.metric("auc"), narrow.metric("auc") - vocabulary);
        assertTrue(Math.abs(wide.metric("auc") - vocabulary) <= 0.002, "2^20 buckets: " + wide.metric("auc") + " vs " + vocabulary);
        assertTrue(vocabulary - narrow.metric("auc") >= 0.005, "2^6 buckets lose visibly: " + narrow.metric("auc") + " vs " + vocabulary);
    }

    /**
     * L1 as SGD's proximal step, λ = 0.003 (twice the noise of a pure-noise feature's gradient over
     * the 60,000 training rows), with the rate decaying to 0 (cosine) so the last steps' noise cannot
     * leave a weight off the lasso's solution. L1 shrinks every weight; the noise ones it takes to (or
     * next to) zero, the real ones it leaves standing. Rare values' weights need more evidence than
     * the numeric features', so the categorical fields shrink more.
     */
    @Test
    void l1DrivesTheNoiseFeaturesToZeroAndKeepsTheRealOnes() throws IOException {
        CtrRun.Result l1 = Runs.train(Runs.withOptim(exact(), exact().optim().lr(), 0.003, 0, "cosine").withPatience(0), dir.resolve("lr-l1"));
        CtrRun.Result plain = Runs.train(Runs.withOptim(exact(), exact().optim().lr(), 0, 0, "cosine").withPatience(0), dir.resolve("lr-no-l1"));
        ClickImportance with = Runs.importance(l1, 2000);
        ClickImportance without = Runs.importance(plain, 2000);
        for (String f : with.names()) {
            System.out.printf(Locale.ROOT, "L1: %-15s weight %+.5f with L1 (λ 0.003), %+.5f without%n", f, with.weight(f), without.weight(f));
        }
        for (String noise : List.of("noise_1", "noise_2", "noise_cat")) {
            assertTrue(Math.abs(with.weight(noise)) <= 0.003, noise + " with L1: " + with.weight(noise));
            assertTrue(Math.abs(with.weight(noise)) <= 0.25 * Math.abs(without.weight(noise)),
                    noise + ": " + with.weight(noise) + " with L1, " + without.weight(noise) + " without");
        }
        for (String real : List.of("age", "interest_match", "ad_frequency", "site", "ad_category", "device")) {
            assertTrue(Math.abs(with.weight(real)) >= 0.05 && Math.abs(with.weight(real)) >= 0.25 * Math.abs(without.weight(real)),
                    real + " is kept: " + with.weight(real) + " with L1, " + without.weight(real) + " without");
        }
        float[] table = l1.model().stateDict().get(ClickModel.LINEAR + ".weight").toArray();
        int zeros = 0;
        for (float w : table) {
            zeros += w == 0f ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "L1: %d of %d first-order category weights exactly 0 (auc %.4f, without L1 %.4f)%n", zeros, table.length,
                l1.metric("auc"), plain.metric("auc"));
        int noiseCat = l1.features().fieldNames().indexOf("noise_cat");
        int exactlyZero = 0;
        double largest = 0;
        for (String v : l1.features().categorical().get(noiseCat).vocabulary()) {
            float w = table[l1.features().vocabularyId(noiseCat, v)];
            exactlyZero += w == 0f ? 1 : 0;
            largest = Math.max(largest, Math.abs(w));
        }
        System.out.printf(Locale.ROOT, "L1: %d of the noise field's %d values exactly 0, the largest |w| %.1e%n", exactlyZero,
                l1.features().categorical().get(noiseCat).vocabulary().size(), largest);
        assertTrue(largest <= 1e-4 && exactlyZero >= 10, "the noise field's weights: " + exactlyZero + " exactly 0, largest " + largest);
    }

    @Test
    void negativeDownSamplingAtTenPercentWithTheCorrectionIsAsCalibratedAsTheFullLog() throws IOException {
        CtrConfig c = exact().withSplit(new Split(exact().split().seed(), 0.4, 0.1));
        CtrRun.Result sampled = Runs.train(c, dir.resolve("lr-negatives-10pc"));
        double kept = sampled.metric("train_rows_kept") / sampled.metric("train_rows");
        float[] y = sampled.heldOut().labels();
        float[] z = Trainer.predictAll(sampled.model(), sampled.heldOut().data())[0].toArray();
        float[] uncorrected = new float[z.length];
        for (int i = 0; i < z.length; i++) {
            uncorrected[i] = (float) (1 / (1 + Math.exp(-(z[i] - Math.log(0.1)))));
        }
        double without = Calibration.of(uncorrected, y, Calibration.BUCKETS).ece();
        System.out.printf(Locale.ROOT, "negatives at 10%% (%.1f%% of training rows kept): ece %.4f with the correction, %.4f without; full log %.4f%n",
                100 * kept, sampled.metric("ece"), without, full.metric("ece"));
        assertTrue(kept < 0.35, "most negatives dropped: " + kept);
        assertTrue(Math.abs(sampled.metric("ece") - full.metric("ece")) <= 0.01, sampled.metric("ece") + " vs " + full.metric("ece"));
        assertTrue(without > 0.1, "without the correction the probabilities are far too high: " + without);
    }
}
