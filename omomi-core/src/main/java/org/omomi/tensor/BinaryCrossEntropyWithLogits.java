package org.omomi.tensor;

import java.util.Arrays;

/**
 * The body of {@link Tensor#binaryCrossEntropyWithLogits}, documented there: one fused elementwise
 * operation, as PyTorch's {@code binary_cross_entropy_with_logits} is one kernel. As a composition
 * (negate, softplus, a product and a sum) it was thirteen operations and thirteen nodes of the
 * graph for every batch, which cost a logistic regression's step more than its matrix product.
 * Its exponential and logarithm are its own, for speed (see {@link #expOfNegative}).
 */
final class BinaryCrossEntropyWithLogits {

    private BinaryCrossEntropyWithLogits() {}

    private static final double LN2_HI = 0x1.62e42fee00000p-1; // ln 2 in two parts: k·LN2_HI is exact
    private static final double LN2_LO = 0x1.a39ef35793c76p-33;

    /**
     * e^(−a) for a ≥ 0 (NaN stays NaN), within 4·10⁻¹⁰ of its value (a float holds 6·10⁻⁸); 0
     * below e^−700, which no float can tell from 0 in this loss. {@code Math.exp} cost 17 ns a call
     * here, most of a batch's loss; this is a reduction to r = −a + k·ln 2, |r| ≤ ½ ln 2, a
     * polynomial for e^r and a scaling by 2^−k: plain arithmetic, the same bits on every machine.
     */
    static double expOfNegative(double a) {
        if (!(a <= 700.0)) {
            return a > 700.0 ? 0.0 : a; // NaN
        }
        // a / ln 2 rounded to the nearest integer, ties to even, as Math.rint: below 2⁵¹, adding and
        // subtracting 1.5·2⁵² leaves exactly that (Math.rint was not compiled to one instruction here).
        double k = (a * 1.4426950408889634 + 0x1.8p52) - 0x1.8p52;
        double r = (k * LN2_HI - a) + k * LN2_LO;   // −a + k·ln 2, in [−0.347, 0.347]
        // Taylor series of e^r to r⁸/8!, in two halves that run side by side: the first term left
        // out is below 3·10⁻¹⁰ of e^r, far below a float's 6·10⁻⁸.
        double r2 = r * r;
        double r4 = r2 * r2;
        double low = 1.0 + r * (1.0 + r * (1.0 / 2 + r * (1.0 / 6)));
        double high = 1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720 + r * (1.0 / 5040 + r * (1.0 / 40320))));
        double p = low + r4 * high;
        return p * Double.longBitsToDouble((1023L - (long) k) << 52); // 2^−k, k ≤ 1010: a normal double
    }

    /**
     * ln(1 + e) for e in [0, 1], within 10⁻¹¹ of its value, without
     * {@code Math.log1p}, which is not an intrinsic (20 µs a batch of 1,024): with s = e / (2 + e)
     * in [0, ⅓], ln(1 + e) = 2·atanh(s) = 2(s + s³/3 + s⁵/5 + …), whose terms fall by 9× each.
     */
    static double log1pSmall(double e) {
        double s = e / (2.0 + e);
        double s2 = s * s;
        double s4 = s2 * s2;
        // To s²¹/21: the first term left out, s²²/23 with s² ≤ 1/9, is below 2·10⁻¹² of the sum.
        double low = 1.0 + s2 * (1.0 / 3 + s2 * (1.0 / 5 + s2 * (1.0 / 7)));
        double high = 1.0 / 9 + s2 * (1.0 / 11 + s2 * (1.0 / 13 + s2 * (1.0 / 15 + s2 * (1.0 / 17 + s2 * (1.0 / 19 + s2 * (1.0 / 21))))));
        double series = low + s4 * s4 * high;
        return 2.0 * s * series;
    }

    /** {@link Tensor#binaryCrossEntropyWithLogits}: gradients for both the logits and the targets. */
    static Tensor of(Tensor logits, Tensor target) {
        int[] shape = logits.shape;
        int numel = logits.numel;
        if (!Arrays.equals(shape, target.shape)) {
            throw new IllegalArgumentException("binaryCrossEntropyWithLogits: shapes " + Shapes.str(shape) + " and "
                    + Shapes.str(target.shape) + " differ");
        }
        float[] x = logits.denseData();
        float[] t = target.denseData();
        float[] out = new float[numel];
        // e^(−|x|), kept for the backward, which needs nothing else from the forward.
        double[] e = new double[numel];
        // Two loops, and max(−x, 0) as a choice of values: as one loop with Math.max the JIT's
        // code took 35 µs for 1,024 logits, a logistic regression's whole step; 11 µs this way.
        for (int i = 0; i < numel; i++) {
            e[i] = expOfNegative(Math.abs((double) x[i]));
        }
        for (int i = 0; i < numel; i++) {
            // (1 − t)·x + ln(1 + e^−x) = (1 − t)·x + max(−x, 0) + ln(1 + e^−|x|): no overflow for
            // any x, and no cancellation.
            double xi = x[i];
            out[i] = (float) ((1.0 - t[i]) * xi + (xi < 0 ? -xi : 0.0) + log1pSmall(e[i]));
        }
        Tensor result = new Tensor(out, shape.clone());
        if (!Tensor.tracks(logits, target)) {
            return result;
        }
        return Tensor.record(result, "binaryCrossEntropyWithLogits", g -> {
            float[] gv = g.toArray();
            float[] dx = new float[numel];
            float[] dt = new float[numel];
            for (int i = 0; i < numel; i++) {
                // d/dx = σ(x) − t, σ computed on the side where e^(−|x|) cannot overflow.
                // (One division whose numerator is chosen: the sign of x is a coin toss, and two
                // divisions behind a branch cost its misprediction every other element.)
                double sigmoid = (x[i] >= 0f ? 1.0 : e[i]) / (1.0 + e[i]);
                dx[i] = (float) (gv[i] * (sigmoid - t[i]));
                dt[i] = (float) (gv[i] * -(double) x[i]);
            }
            return new Tensor[] {new Tensor(dx, shape.clone()), new Tensor(dt, shape.clone())};
        }, logits, target);
    }
}
