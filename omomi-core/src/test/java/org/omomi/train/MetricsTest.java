package org.omomi.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void classificationMetrics() {
        float[] y = {0, 1, 1, 0, 1};
        float[] p = {0, 1, 0, 0, 1};
        assertEquals(0.8, Metrics.accuracy(p, y), 1e-12);
        double[] prf = Metrics.precisionRecallF1(p, y, 2); // class 1: tp 2, fp 0, fn 1
        assertArrayEquals(new double[] {1.0, 2.0 / 3, 0.8}, prf, 1e-12);
        // Three classes, macro average.
        double[] macro = Metrics.precisionRecallF1(new float[] {0, 1, 2, 2}, new float[] {0, 2, 2, 2}, 3);
        assertEquals((1 + 0 + 1) / 3.0, macro[0], 1e-12);
        assertEquals((1 + 0 + 2.0 / 3) / 3, macro[1], 1e-12);
        float[] scores = {0.1f, 0.7f, 0.2f, 0.6f, 0.3f, 0.1f};
        assertEquals(0.5, Metrics.topK(scores, 3, new float[] {2, 0}, 1), 1e-12);
        assertEquals(1.0, Metrics.topK(scores, 3, new float[] {2, 0}, 2), 1e-12);
        assertEquals(0.0, Metrics.topK(scores, 3, new float[] {0, 2}, 2), 1e-12);
    }

    @Test
    void rocAucAgainstKnownValues() {
        // sklearn.metrics.roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.75
        assertEquals(0.75, Metrics.rocAuc(new float[] {0.1f, 0.4f, 0.35f, 0.8f}, new float[] {0, 0, 1, 1}), 1e-12);
        // Ties count half.
        assertEquals(0.5, Metrics.rocAuc(new float[] {0.5f, 0.5f}, new float[] {0, 1}), 1e-12);
        assertTrue(Double.isNaN(Metrics.rocAuc(new float[] {0.5f}, new float[] {1})));
    }

    @Test
    void regressionMetricsAndLogLoss() {
        float[] y = {3, -0.5f, 2, 7};
        float[] p = {2.5f, 0, 2, 8};
        assertEquals(0.375, Metrics.meanSquaredError(p, y), 1e-12);
        assertEquals(0.5, Metrics.meanAbsoluteError(p, y), 1e-12);
        assertEquals(0.9486081370449679, Metrics.r2(p, y), 1e-9); // sklearn's r2_score example
        assertEquals(-Math.log(0.9) / 2 - Math.log(0.8) / 2, Metrics.logLoss(new float[] {0.9f, 0.2f}, 1, new float[] {1, 0}), 1e-6);
    }

    @Test
    void histogramInvariants() {
        float[] v = {1, 2, 3, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 2.5f};
        Histogram h = Histogram.of(v, 4);
        long sum = 0;
        for (long c : h.counts()) {
            sum += c;
        }
        assertEquals(4, sum, "counts add up to the finite values");
        assertEquals(1, h.nan());
        assertEquals(1, h.posInf());
        assertEquals(1, h.negInf());
        assertEquals(1.0, h.lo());
        assertEquals(3.0, h.hi());
        assertArrayEquals(new long[] {1, 0, 1, 2}, h.counts()); // max lands in the last bin
        Histogram constant = Histogram.of(new float[] {5, 5, 5}, 10);
        assertArrayEquals(new long[] {3}, constant.counts());
        Histogram empty = Histogram.of(new float[0], 10);
        assertEquals(0, empty.counts().length);
        TensorStats s = TensorStats.of(new float[] {0, 0, 3, 4});
        assertEquals(5.0, s.l2(), 1e-12);
        assertEquals(0.5, s.zeroFraction(), 1e-12);
    }

    @Test
    void percentilesInterpolateAsNumpyDoes() {
        // numpy.percentile([0, 1, …, 10, NaN dropped], q) = q/10 for this evenly spaced set.
        float[] v = new float[12];
        for (int i = 0; i <= 10; i++) {
            v[i] = i;
        }
        v[11] = Float.NaN;
        TensorStats s = TensorStats.of(v);
        for (int i = 0; i < TensorStats.PERCENTILES.length; i++) {
            assertEquals(TensorStats.PERCENTILES[i] / 10, s.percentiles()[i], 1e-5, TensorStats.PERCENTILE_KEYS[i]);
        }
        // Unevenly spaced: numpy.percentile([1, 2, 10, 100], 50) = 6, (…, 84.134) = 52.998 … 
        TensorStats u = TensorStats.of(new float[] {100, 1, 10, 2});
        assertEquals(6.0, u.percentiles()[2], 1e-9);
        assertEquals(10 + (0.84134 * 3 - 2) * 90, u.percentiles()[3], 1e-4);
        assertTrue(Double.isNaN(TensorStats.of(new float[] {Float.NaN}).percentiles()[2]));
    }
}
