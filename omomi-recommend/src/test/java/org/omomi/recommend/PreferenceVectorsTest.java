package org.omomi.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The weights of a preference vector, by their definitions, on a hand-made catalogue of four items in two dimensions. */
class PreferenceVectorsTest {

    // items: 0 = (1, 0), 1 = (0, 1), 2 = (1, 1), 3 = (−1, 0); one trained user (2, 2)
    static final Factors F = new Factors(2, new float[] {2, 2}, new float[] {1, 0, 0, 1, 1, 1, -1, 0}, new float[] {0.1f, 0.2f, 0, 0},
            new float[1], 0f);

    private static PreferenceVectors.History history(long... times) {
        return new PreferenceVectors.History(new int[] {0, 1, 2}, new float[] {1, 4, 5}, times);
    }

    @Test
    void uniformRatingAndRecencyWeights() {
        long day = 86_400;
        PreferenceVectors.History h = history(0, 2 * day, 4 * day);
        assertArrayEquals(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}, new PreferenceVectors(F, Weighting.UNIFORM, 1, null, 1).weights(h, Interactions.NO_TIME), 1e-12);
        assertArrayEquals(new double[] {0.1, 0.4, 0.5}, new PreferenceVectors(F, Weighting.RATING, 1, null, 1).weights(h, Interactions.NO_TIME), 1e-12);
        // half-life two days: weights 1/4, 1/2, 1 before normalizing
        assertArrayEquals(new double[] {1 / 7.0, 2 / 7.0, 4 / 7.0},
                new PreferenceVectors(F, Weighting.RECENCY, 2 * day, null, 1).weights(h, Interactions.NO_TIME), 1e-12);
        // counted back from a later "now": the ratios stay, the normalization removes the common factor
        assertArrayEquals(new double[] {1 / 7.0, 2 / 7.0, 4 / 7.0},
                new PreferenceVectors(F, Weighting.RECENCY, 2 * day, null, 1).weights(h, 10 * day), 1e-12);
        // without timestamps recency counts interactions back, half-life ten interactions
        PreferenceVectors.History untimed = history(Interactions.NO_TIME, Interactions.NO_TIME, Interactions.NO_TIME);
        double a = Math.pow(2, -0.2);
        double b = Math.pow(2, -0.1);
        double s = a + b + 1;
        assertArrayEquals(new double[] {a / s, b / s, 1 / s},
                new PreferenceVectors(F, Weighting.RECENCY, 2 * day, null, 1).weights(untimed, Interactions.NO_TIME), 1e-12);
    }

    @Test
    void theVectorIsTheScaledWeightedMeanAndItsItemsExplainIt() {
        PreferenceVectors v = new PreferenceVectors(F, Weighting.RATING, 1, null, 2.0);
        UserVector u = v.weighted(history(1, 2, 3), Interactions.NO_TIME);
        // 2 · (0.1·(1,0) + 0.4·(0,1) + 0.5·(1,1)) = (1.2, 1.8)
        assertArrayEquals(new float[] {1.2f, 1.8f}, u.vector(), 1e-6f);
        assertArrayEquals(new double[] {0.2, 0.8, 1.0}, u.coefficients(), 1e-12);
        Explanation e = Explanation.of(F, u, 3); // item 3 = (−1, 0), bias 0: score −1.2
        assertEquals(-1.2, e.score(), 1e-6);
        assertArrayEquals(new double[] {-0.2, 0, -1.0}, e.itemContributions(), 1e-6);
        assertEquals(e.score(), e.sumByItems(), 1e-6);
        assertArrayEquals(new double[] {-1.2, 0}, e.dimensions(), 1e-6);
    }

    @Test
    void theScaleIsTheLeastSquaresFitOfTrainedVectorsOnTheirMeans() {
        // the one user's uniform mean of items 0, 1, 2 is (2/3, 2/3); trained (2, 2): s = 3
        PreferenceVectors.History[] hs = {history(1, 2, 3)};
        assertEquals(3.0, PreferenceVectors.calibrated(F, Weighting.UNIFORM, 1, null, hs).scale(), 1e-6); // the mean is a float vector
    }

    @Test
    void aTrainedVectorSplitsOverItsItemsWithTheRestAsResidual() {
        UserVector t = PreferenceVectors.trained(F, 0, history(1, 2, 3));
        double[] combined = new double[2];
        for (int j = 0; j < 3; j++) {
            combined[0] += t.coefficients()[j] * F.items()[t.items()[j] * 2];
            combined[1] += t.coefficients()[j] * F.items()[t.items()[j] * 2 + 1];
        }
        assertEquals(2.0, combined[0] + t.residual()[0], 1e-9);
        assertEquals(2.0, combined[1] + t.residual()[1], 1e-9);
        assertTrue(Math.abs(t.residual()[0]) < 0.5, "the items span the vector; the ridge leaves a small residual");
        assertThrows(IllegalArgumentException.class, () -> new PreferenceVectors(F, Weighting.RECENCY, 0, null, 1));
        assertThrows(IllegalArgumentException.class, () -> new PreferenceVectors(F, Weighting.ATTENTION, 1, null, 1));
        assertEquals(3 * 86_400, HalfLife.parse("3d"), 0);
        assertEquals(5400, HalfLife.parse("90m"), 0);
        assertThrows(IllegalArgumentException.class, () -> HalfLife.parse("soon"));
    }
}
