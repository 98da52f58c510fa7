package org.omomi.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/** Issue 16: 2 real features and 48 noise features; W-k-means finds the clusters and the features. */
class FeatureWeightedKMeansTest {

    private static Tensor standardised(Synthetic.Labelled l) {
        boolean[] none = new boolean[l.features().size()];
        return Scaling.fit(Scaling.Kind.STANDARD, l.x(), none, l.features()).apply(l.x(), l.features());
    }

    @Test
    void twoRealFeaturesAmongFortyEightNoiseFeatures() {
        Synthetic.Labelled l = Synthetic.noisy(1000, 4, 2, 48, new Rng(16));
        Tensor x = standardised(l);
        double plain = Agreement.adjustedRandIndex(l.labels(), KMeans.fit(x, KMeans.Options.of(4), new Rng(1)).labels());
        FeatureWeightedKMeans.Result r = FeatureWeightedKMeans.fit(x, FeatureWeightedKMeans.Options.of(4), new Rng(1));
        double ari = Agreement.adjustedRandIndex(l.labels(), r.clustering().labels());
        double maxNoise = 0;
        for (int j = 2; j < 50; j++) {
            maxNoise = Math.max(maxNoise, r.weights()[j]);
        }
        double minReal = Math.min(r.weights()[0], r.weights()[1]);
        System.out.printf("W-k-means: plain k-means ARI %.4f, W-k-means ARI %.4f, real weights %.4f %.4f, largest noise weight %.4f (ratio %.1f)%n",
                plain, ari, r.weights()[0], r.weights()[1], maxNoise, minReal / maxNoise);
        assertTrue(plain < 0.2, "plain k-means is lost in the noise: " + plain);
        assertTrue(ari >= 0.95, "ARI " + ari);
        assertTrue(minReal >= 5 * maxNoise, "real " + minReal + " vs noise " + maxNoise);
        assertEquals(1.0, java.util.Arrays.stream(r.weights()).sum(), 1e-9);
    }

    @Test
    void theWeightFormulaIsThePapers() {
        // D = (1, 2, 4), β = 2: w ∝ 1/D = (1, 1/2, 1/4) / (7/4).
        assertArrayEquals(new double[] {4.0 / 7, 2.0 / 7, 1.0 / 7}, FeatureWeightedKMeans.weights(new double[] {1, 2, 4}, 2), 1e-12);
        // β = 3: w ∝ D^(−1/2).
        double[] w = FeatureWeightedKMeans.weights(new double[] {1, 4}, 3);
        assertArrayEquals(new double[] {2.0 / 3, 1.0 / 3}, w, 1e-12);
        // A feature constant within every cluster gets 0.
        assertArrayEquals(new double[] {0, 0.5, 0.5}, FeatureWeightedKMeans.weights(new double[] {0, 3, 3}, 2), 1e-12);
    }

    @Test
    void theResultsMetricIsTheWeightedSpace() {
        Synthetic.Labelled l = Synthetic.noisy(300, 2, 1, 3, new Rng(2));
        FeatureWeightedKMeans.Result r = FeatureWeightedKMeans.fit(l.x(), FeatureWeightedKMeans.Options.of(2), new Rng(1));
        Tensor y = r.metric().embed(l.x());
        assertArrayEquals(r.clustering().labels(), KMeans.nearest(y, r.clustering().centres()), "labels are nearest centres in w^(β/2)·x");
        FeatureWeightedKMeans.Result again = FeatureWeightedKMeans.fit(l.x(), FeatureWeightedKMeans.Options.of(2), new Rng(1));
        assertArrayEquals(r.weights(), again.weights(), 0);
    }
}
