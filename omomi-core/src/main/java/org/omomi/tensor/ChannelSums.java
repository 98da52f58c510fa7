package org.omomi.tensor;

/**
 * The per-channel sums of batch normalization, in double precision with four independent
 * accumulators. A single accumulator makes every addition wait for the previous one (about four
 * cycles each); four independent chains keep the adder busy. The order of additions is fixed by
 * the data's layout alone, so results do not depend on the number of threads.
 */
final class ChannelSums {

    private ChannelSums() {}

    /** Σ a[from + i] for i &lt; len. */
    static double sum(float[] a, int from, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        int end = from + len;
        for (; i + 3 < end; i += 4) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
        }
        for (; i < end; i++) {
            s0 += a[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Σ (a[from + i] − mu)² for i &lt; len. */
    static double squaredDeviations(float[] a, int from, int len, double mu) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        int end = from + len;
        for (; i + 3 < end; i += 4) {
            double d0 = a[i] - mu;
            double d1 = a[i + 1] - mu;
            double d2 = a[i + 2] - mu;
            double d3 = a[i + 3] - mu;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; i < end; i++) {
            double d = a[i] - mu;
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Σ g[from + i]·(x[from + i] − mu) for i &lt; len. */
    static double dotCentred(float[] g, float[] x, int from, int len, double mu) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        int end = from + len;
        for (; i + 3 < end; i += 4) {
            s0 += g[i] * (x[i] - mu);
            s1 += g[i + 1] * (x[i + 1] - mu);
            s2 += g[i + 2] * (x[i + 2] - mu);
            s3 += g[i + 3] * (x[i + 3] - mu);
        }
        for (; i < end; i++) {
            s0 += g[i] * (x[i] - mu);
        }
        return (s0 + s1) + (s2 + s3);
    }
}
