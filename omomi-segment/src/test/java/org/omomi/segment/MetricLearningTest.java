package org.omomi.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.omomi.tensor.GradCheck;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/** The NCA loss by hand and against finite differences; the learners' errors. */
class MetricLearningTest {

    @Test
    void ncaLossByHand() {
        // Three points on a line at 0, 1 and 3, labels a, a, b. p₀₁ = e⁻¹ / (e⁻¹ + e⁻⁹),
        // p₁₀ = e⁻¹ / (e⁻¹ + e⁻⁴), point 2 has no partner: loss = −(p₀₁ + p₁₀ + 0) / 3.
        Tensor z = Tensor.of(new float[] {0, 1, 3}, 3, 1);
        double p01 = Math.exp(-1) / (Math.exp(-1) + Math.exp(-9));
        double p10 = Math.exp(-1) / (Math.exp(-1) + Math.exp(-4));
        assertEquals(-(p01 + p10) / 3, MetricLearning.ncaLoss(z, new int[] {0, 0, 1}).item(), 1e-6);
    }

    @Test
    void ncaLossGradientMatchesFiniteDifferences() {
        Tensor z = Tensor.randn(new Rng(1), 7, 3).mul(0.7f);
        int[] y = {0, 1, 0, 2, 1, 0, 2};
        GradCheck.Report r = GradCheck.standard().check(in -> MetricLearning.ncaLoss(in[0], y), z);
        assertTrue(r.passed(), r.toString());
        Tensor grad = z.detach().requiresGrad(true);
        MetricLearning.ncaLoss(grad, y).backward();
        Tensor other = z.detach().requiresGrad(true);
        MetricLearning.ncaLoss(other, new int[] {0, 0, 0, 1, 1, 1, 2}).backward();
        assertFalse(java.util.Arrays.equals(grad.grad().toArray(), other.grad().toArray()), "labels matter");
    }

    @Test
    void theTraceOfNcasMetricIsOne() {
        Synthetic.Labelled b = Synthetic.blobs(200, 3, 4, new Rng(2));
        for (boolean diagonal : new boolean[] {false, true}) {
            Metric m = MetricLearning.nca(b.x(), b.labels(), diagonal, MetricLearning.Options.nca().withSteps(20), new Rng(1));
            double trace = 0;
            double[][] mm = m.mahalanobis();
            for (int j = 0; j < mm.length; j++) {
                trace += mm[j][j];
            }
            assertEquals(1.0, trace, 1e-5, diagonal ? "diagonal" : "full");
            assertEquals(diagonal ? "diagonal" : "linear", m.kind());
        }
    }

    @Test
    void badSupervisionIsAnError() {
        Tensor x = Tensor.randn(new Rng(3), 6, 2);
        assertThrows(IllegalArgumentException.class, () -> MetricLearning.triplet(x, new int[] {1, 1, 1, 1, 1, 1}, MetricLearning.Options.triplet(), new Rng(1)));
        assertThrows(IllegalArgumentException.class, () -> MetricLearning.nca(x, new int[] {0, 1}, false, MetricLearning.Options.nca(), new Rng(1)));
        MetricLearning.Pairs outside = new MetricLearning.Pairs(new int[] {0}, new int[] {9}, new boolean[] {true});
        assertThrows(IllegalArgumentException.class, () -> MetricLearning.contrastive(Metric.linear(2), x, outside, MetricLearning.Options.contrastive(), new Rng(1)));
        MetricLearning.Pairs fine = new MetricLearning.Pairs(new int[] {0}, new int[] {1}, new boolean[] {true});
        assertThrows(IllegalArgumentException.class, () -> MetricLearning.contrastive(Metric.identity(2), x, fine, MetricLearning.Options.contrastive(), new Rng(1)),
                "the identity has nothing to learn");
    }
}
