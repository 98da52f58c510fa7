package org.omomi.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.omomi.io.Json;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/** Metrics: the maps, their weights, their contributions and their JSON. */
class MetricTest {

    private static Tensor data(int n, int d, long seed) {
        return Tensor.randn(new Rng(seed), n, d);
    }

    @Test
    void weightsAreSharesOfTheDistance() {
        Tensor x = data(4000, 3, 1);
        double[] w = Metric.weighted(new double[] {4, 1, 0}).featureWeights(x);
        assertArrayEquals(new double[] {0.8, 0.2, 0}, w, 0.02, "with equal variances the shares are the given weights, normalised");
        double[] id = Metric.identity(3).featureWeights(x.mul(Tensor.vector(1, 1, 2)));
        assertArrayEquals(new double[] {1 / 6.0, 1 / 6.0, 4 / 6.0}, id, 0.02, "plain k-means weighs features by their variance");
    }

    @Test
    void aDirectionTheDataNeverVaryInWeighsNothing() {
        // Two indicators of one category column: x₁ + x₂ = 1 always. A map that only reads x₁ + x₂
        // moves nobody.
        Tensor x = Tensor.of(new float[] {1, 0, 0, 1, 1, 0, 0, 1, 0, 0}, 5, 2);
        x = x.slice(0, 0, 4).contiguous();
        Metric m = Metric.linear(2);
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            m.parameters().get(0).copyFrom(Tensor.of(new float[] {1, 1, 0, 0}, 2, 2));
        }
        double[] w = m.featureWeights(x);
        assertEquals(0.5, w[0], 1e-9, "0/0 is taken as equal shares");
    }

    @Test
    void contributionsSplitTheSquaredDistance() {
        Tensor x = data(5, 4, 2);
        Tensor b = data(5, 4, 3);
        for (Metric m : new Metric[] {Metric.weighted(new double[] {1, 2, 3, 4}), randomLinear(4), Metric.mlp(4, 8, 3, new Rng(1))}) {
            Tensor target = m.embed(b);
            double[][] c = Contributions.of(m, x, b, target);
            Tensor fx = m.embed(x).sub(target);
            float[] d2 = fx.mul(fx).sum(1, false).toArray();
            for (int i = 0; i < 5; i++) {
                double sum = 0;
                for (double v : c[i]) {
                    sum += v;
                }
                // Exact (up to float rounding) for linear maps; the ReLU's kinks cost the quadrature a little.
                double tolerance = m.kind().equals("mlp") ? 0.03 : 1e-4;
                assertEquals(d2[i], sum, tolerance * Math.max(1, d2[i]), m.kind() + " row " + i + ": Σ contributions = d²(x, b)");
            }
        }
        // Weighted: the contributions are wⱼ(xⱼ − bⱼ)² exactly.
        Metric w = Metric.weighted(new double[] {1, 2, 3, 4});
        double[][] c = Contributions.of(w, x, b, w.embed(b));
        float[] xv = x.toArray();
        float[] bv = b.toArray();
        for (int j = 0; j < 4; j++) {
            double diff = xv[j] - bv[j];
            assertEquals((j + 1) * diff * diff, c[0][j], 1e-4);
        }
    }

    @Test
    void everyKindReadsBackFromJson() {
        Tensor x = data(6, 3, 4);
        for (Metric m : new Metric[] {Metric.identity(3), Metric.weighted(new double[] {1, 0.5, 2}), Metric.diagonal(3), randomLinear(3),
            Metric.mlp(3, 5, 2, new Rng(7))}) {
            Metric back = Metric.fromJson(SchemaTest.castMap(Json.parse(Json.write(m.toJson()))));
            assertEquals(m.kind(), back.kind());
            assertArrayEquals(m.embed(x).toArray(), back.embed(x).toArray(), 0f, m.kind());
        }
    }

    private static Metric randomLinear(int d) {
        Metric m = Metric.linear(d);
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            m.parameters().get(0).copyFrom(Tensor.randn(new Rng(d), d, d));
        }
        return m;
    }
}
