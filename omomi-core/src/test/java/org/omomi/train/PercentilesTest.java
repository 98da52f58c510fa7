package org.omomi.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.omomi.tensor.Rng;

/** The run log's percentiles, found by selection, are those of a full sort (numpy's linear interpolation), bit for bit. */
class PercentilesTest {

    static double[] bySorting(float[] v) {
        float[] s = new float[v.length];
        int n = 0;
        for (float x : v) {
            if (Float.isFinite(x)) {
                s[n++] = x;
            }
        }
        s = Arrays.copyOf(s, n);
        Arrays.sort(s);
        double[] out = new double[TensorStats.PERCENTILES.length];
        for (int i = 0; i < out.length; i++) {
            double pos = TensorStats.PERCENTILES[i] / 100 * (s.length - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(lo + 1, s.length - 1);
            out[i] = s[lo] + (pos - lo) * ((double) s[hi] - s[lo]);
        }
        return out;
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 16, 17, 100, 1001, 5000, TensorStats.RADIX_FROM - 1, TensorStats.RADIX_FROM + 17, 200_003})
    void selectionGivesTheSortedOrderStatistics(int n) {
        Rng r = new Rng(n);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            // ties, zeros of both signs, and the odd non-finite value
            v[i] = i % 11 == 0 ? 0f : i % 13 == 0 ? -0f : i % 17 == 0 ? Float.NaN : (float) Math.round(r.nextGaussian() * 20) / 4;
        }
        long finite = Arrays.stream(toDouble(v)).filter(Double::isFinite).count();
        if (finite == 0) {
            return;
        }
        assertArrayEquals(bySorting(v), TensorStats.percentiles(v, finite), 0.0);
    }

    /** The counting path (large arrays) on values that share high bits, one value, and infinities. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void countingHandlesCrowdedBucketsAndOneValue(int kind) {
        int n = TensorStats.RADIX_FROM + 1001;
        Rng r = new Rng(100 + kind);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (kind) {
                case 0 -> 0.5f; // all equal
                case 1 -> 1f + (float) r.nextDouble() * 1e-3f; // one high bucket
                case 2 -> i % 5 == 0 ? Float.POSITIVE_INFINITY : i % 7 == 0 ? Float.NEGATIVE_INFINITY : (float) r.nextGaussian() * 1e-30f;
                default -> (float) (r.nextGaussian() * Math.exp(r.nextGaussian() * 20)); // many magnitudes, both signs
            };
        }
        long finite = Arrays.stream(toDouble(v)).filter(Double::isFinite).count();
        assertArrayEquals(bySorting(v), TensorStats.percentiles(v, finite), 0.0);
    }
}
