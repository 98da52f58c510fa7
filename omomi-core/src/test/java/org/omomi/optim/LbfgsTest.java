package org.omomi.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.omomi.tensor.Tensor;

/** L-BFGS on functions whose minimum is known, and its cubic step. */
class LbfgsTest {

    /** Rosenbrock's valley (1 − a)² + 100·(b − a²)², from the classic start (−1.2, 1): the minimum is (1, 1). */
    @Test
    void findsTheBottomOfRosenbrocksValley() {
        Tensor w = Tensor.vector(-1.2f, 1f).requiresGrad(true);
        List<Double> losses = new ArrayList<>();
        Lbfgs.Result r = new Lbfgs(List.of(w), Lbfgs.Options.defaults().withGradientTolerance(1e-5))
                .minimize(() -> {
                    Tensor a = w.slice(0, 0, 1);
                    Tensor b = w.slice(0, 1, 2);
                    Tensor one = a.neg().add(1f);
                    Tensor valley = b.sub(a.mul(a));
                    return one.mul(one).add(valley.mul(valley).mul(100f)).sum();
                }, (i, loss, g) -> losses.add(loss));
        assertTrue(r.converged(), r.reason());
        assertEquals(1f, w.get(0), 1e-3, r.reason());
        assertEquals(1f, w.get(1), 1e-3, r.reason());
        assertTrue(r.iterations() < 100, "L-BFGS needs a few dozen iterations here, took " + r.iterations());
        for (int i = 1; i < losses.size(); i++) {
            assertTrue(losses.get(i) <= losses.get(i - 1), "every accepted step lowers the loss: " + losses);
        }
    }

    /**
     * ½·Σ sᵢ·(c·wᵢ − tᵢ)² in 20 dimensions, sᵢ from 1 to 10⁴ (log-spaced), tᵢ = sin(i + 1).
     */
    private static Lbfgs.Result quadratic(Tensor w, float c, double tolerance, int maxIterations) {
        int n = w.numel();
        float[] scale = new float[n];
        float[] target = new float[n];
        for (int i = 0; i < n; i++) {
            scale[i] = (float) Math.pow(10, 4.0 * i / (n - 1));
            target[i] = (float) Math.sin(i + 1);
        }
        Tensor s = Tensor.vector(scale);
        Tensor t = Tensor.vector(target);
        return new Lbfgs(List.of(w), Lbfgs.Options.defaults().withGradientTolerance(tolerance).withMaxIterations(maxIterations))
                .minimize(() -> {
                    Tensor d = w.mul(c).sub(t);
                    return d.mul(d).mul(s).sum().mul(0.5f);
                });
    }

    /**
     * Condition number 10⁴ with 10 pairs of memory: scipy's L-BFGS-B (maxcor 10, gtol 1e-6, in
     * double precision) needs 556 iterations on this quadratic; ours, in float32, must need no more
     * than 1.5× that and reach the optimum.
     */
    @Test
    void solvesAnIllConditionedQuadraticAsFastAsTheReference() {
        Tensor w = Tensor.zeros(20).requiresGrad(true);
        Lbfgs.Result r = quadratic(w, 1f, 1e-6, 2000);
        assertTrue(r.converged(), r.reason());
        assertTrue(r.iterations() <= 1.5 * 556, r.iterations() + " iterations; " + r.reason());
        for (int i = 0; i < 20; i++) {
            assertEquals((float) Math.sin(i + 1), w.get(i), 1e-6, "component " + i + "; " + r.reason());
        }
    }

    /**
     * With 3·wᵢ − tᵢ no float32 wᵢ makes a stiff component's gradient smaller than about
     * 10⁴·3·ulp(tᵢ)/2 ≈ 1e-3, so a tolerance of 1e-6 cannot be met: the run must stop on its own,
     * before its iteration limit, not converged, and say that float32 precision was reached.
     */
    @Test
    void stopsWhereFloatPrecisionEndsProgress() {
        Tensor w = Tensor.zeros(20).requiresGrad(true);
        Lbfgs.Result r = quadratic(w, 3f, 1e-6, 5000);
        assertFalse(r.converged(), r.reason());
        assertTrue(r.iterations() < 5000, r.iterations() + " iterations; " + r.reason());
        assertTrue(r.reason().contains("float32 precision"), r.reason());
        assertTrue(r.gradientNorm() < 1e-2, "it got as close as float32 allows: " + r.reason());
    }

    @Test
    void aLossThatIsNotFiniteAtTheStartIsReported() {
        Tensor w = Tensor.vector(0f).requiresGrad(true);
        Lbfgs.Result r = new Lbfgs(List.of(w), Lbfgs.Options.defaults()).minimize(() -> w.log().sum());
        assertFalse(r.converged());
        assertTrue(r.reason().contains("not finite"), r.reason());
    }

    /** The cubic through two points with slopes: exact for a cubic, clamped to the interval, bisection when there is no minimum. */
    @Test
    void cubicInterpolation() {
        // f(x) = (x − 1)² has f(0) = 1, f′(0) = −2, f(3) = 4, f′(3) = 4: minimizer 1.
        assertEquals(1, Lbfgs.cubic(0, 1, -2, 3, 4, 4, 0, 3), 1e-12);
        assertEquals(0.5, Lbfgs.cubic(0, 1, -2, 3, 4, 4, 0, 0.5), 1e-12, "clamped to the bound");
        // Slopes 4 at both ends with a rise of 2: no real stationary point, so the midpoint.
        assertEquals(0.5, Lbfgs.cubic(0, 0, 4, 1, 2, 4, 0, 1), 1e-12);
    }
}
