package org.omomi.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The fused loss against its definition; PyTorch's values are in LossConformanceTest. */
class BinaryCrossEntropyWithLogitsTest {

    @Test
    void theLogarithmIsFarMorePreciseThanAFloatOverItsRange() {
        for (double lg = -300; lg <= 0; lg += 0.01) {
            double e = Math.pow(10, lg);
            double want = Math.log1p(e);
            assertEquals(want, BinaryCrossEntropyWithLogits.log1pSmall(e), Math.abs(want) * 1e-11, "ln(1 + " + e + ")");
        }
        assertEquals(0.0, BinaryCrossEntropyWithLogits.log1pSmall(0.0), 0.0);
    }

    @Test
    void theExponentialIsFarMorePreciseThanAFloat() {
        for (double a = 0; a <= 700; a += 0.0137) {
            double want = Math.exp(-a);
            assertEquals(want, BinaryCrossEntropyWithLogits.expOfNegative(a), want * 4e-10, "e^-" + a);
        }
        assertEquals(1.0, BinaryCrossEntropyWithLogits.expOfNegative(0.0), 0.0);
        assertEquals(0.0, BinaryCrossEntropyWithLogits.expOfNegative(701.0), 0.0);
        assertEquals(0.0, BinaryCrossEntropyWithLogits.expOfNegative(Double.POSITIVE_INFINITY), 0.0);
        assertTrue(Double.isNaN(BinaryCrossEntropyWithLogits.expOfNegative(Double.NaN)));
    }

    @Test
    void valuesAndGradientsAreFiniteAndRightForLargeLogits() {
        float[] xs = {-1e4f, -60f, -30f, -1f, -0f, 0f, 1e-3f, 1f, 30f, 60f, 1e4f, Float.MAX_VALUE, -Float.MAX_VALUE};
        float[] ts = {0f, 1f, 0.3f};
        for (float t : ts) {
            Tensor x = Tensor.of(xs, xs.length).requiresGrad(true);
            Tensor target = Tensor.full(t, xs.length);
            Tensor loss = x.binaryCrossEntropyWithLogits(target);
            loss.sum().backward();
            float[] l = loss.toArray();
            float[] g = x.grad().toArray();
            for (int i = 0; i < xs.length; i++) {
                double xi = xs[i];
                // −[t·ln σ(x) + (1 − t)·ln(1 − σ(x))], with ln σ(x) = −ln(1 + e^−x) written out per sign.
                double lnSig = xi >= 0 ? -Math.log1p(Math.exp(-xi)) : xi - Math.log1p(Math.exp(xi));
                double lnOneMinus = xi >= 0 ? -xi - Math.log1p(Math.exp(-xi)) : -Math.log1p(Math.exp(xi));
                double want = -(t * lnSig + (1 - t) * lnOneMinus);
                assertTrue(Float.isFinite(l[i]), "loss at x = " + xi);
                assertEquals(want, l[i], Math.max(1e-7, Math.abs(want) * 1e-6), "loss at x = " + xi + ", t = " + t);
                double sig = 1 / (1 + Math.exp(-xi));
                assertEquals(sig - t, g[i], 1e-7, "gradient at x = " + xi + ", t = " + t);
            }
        }
    }

    @Test
    void agreesWithTheCompositionItReplaces() {
        Rng rng = new Rng(3);
        Tensor x = Tensor.randn(rng, 2000).mul(4f);
        Tensor t = Tensor.rand(rng, 2000).lt(0.5f);
        float[] fused = x.binaryCrossEntropyWithLogits(t).toArray();
        float[] composed = t.neg().add(1f).mul(x).add(x.neg().softplus(1f, 20f)).toArray();
        for (int i = 0; i < fused.length; i++) {
            // The composition adds x and softplus(−x) in float: where they cancel (x = −7, t = 0:
            // −7.32 + 7.3226) its error is that of the terms, ±|x|·6·10⁻⁸; the fused sum is exact.
            float xi = x.toArray()[i];
            assertEquals(composed[i], fused[i], 2e-7 + (Math.abs(composed[i]) + Math.abs(xi)) * 1.2e-7,
                    "element " + i + ": x = " + xi + ", t = " + t.toArray()[i]);
        }
    }
}
