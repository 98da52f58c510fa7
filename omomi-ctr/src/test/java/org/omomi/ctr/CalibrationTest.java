package org.omomi.ctr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.omomi.tensor.Rng;

/** Equal-count buckets, the expected calibration error, and normalized entropy. */
class CalibrationTest {

    @Test
    void bucketsByHand() {
        // Four rows in two buckets: {0.1, 0.2} (labels 0, 1) and {0.6, 0.9} (labels 1, 1).
        Calibration c = Calibration.of(new float[] {0.9f, 0.1f, 0.6f, 0.2f}, new float[] {1, 0, 1, 1}, 2);
        assertArrayEquals(new long[] {2, 2}, c.counts());
        assertEquals(0.15, c.predicted()[0], 1e-7);
        assertEquals(0.5, c.observed()[0], 1e-12);
        assertEquals(0.75, c.predicted()[1], 1e-7);
        assertEquals(1.0, c.observed()[1], 1e-12);
        assertEquals(0.5 * 0.35 + 0.5 * 0.25, c.ece(), 1e-7);
    }

    @Test
    void aCalibratedModelHasTheSmallEceOfSamplingNoiseAShiftedOneDoesNot() {
        Rng rng = new Rng(3);
        int n = 200_000;
        float[] p = new float[n];
        float[] shifted = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double z = -1.5 + 1.2 * rng.nextGaussian();
            p[i] = (float) (1 / (1 + Math.exp(-z)));
            shifted[i] = (float) (1 / (1 + Math.exp(-(z + 0.5))));
            y[i] = rng.nextDouble() < p[i] ? 1 : 0;
        }
        double noise = Math.sqrt(0.2 * 0.8 * Calibration.BUCKETS / n);
        assertTrue(Calibration.of(p, y, Calibration.BUCKETS).ece() < 2 * noise, "calibrated");
        assertTrue(Calibration.of(shifted, y, Calibration.BUCKETS).ece() > 0.05, "log-odds off by 0.5");
    }

    @Test
    void normalizedEntropyIsOneForTheAverageRateAndLessForInformation() {
        float[] y = {1, 0, 0, 0, 1, 0, 0, 0};
        float[] average = {0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f};
        Map<String, Double> m = ClickMetrics.of(average, y);
        assertEquals(1.0, m.get("normalized_entropy"), 1e-6);
        assertEquals(-(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75)), m.get("logloss"), 1e-6);
        assertEquals(0.5, m.get("auc"), 1e-12, "constant scores: ties count half");
        float[] informed = {0.8f, 0.1f, 0.1f, 0.2f, 0.7f, 0.1f, 0.2f, 0.1f};
        Map<String, Double> better = ClickMetrics.of(informed, y);
        assertTrue(better.get("normalized_entropy") < 0.6, "" + better.get("normalized_entropy"));
        assertEquals(1.0, better.get("auc"), 1e-12);
    }
}
