package org.omomi.tensor;

import java.util.function.Function;

/**
 * Checks autograd against finite differences: the test every differentiable operation must pass.
 *
 * <p>The function's output is reduced to a scalar L = Σ out ⊙ r with a fixed random r, so one
 * backward pass checks the whole vector-Jacobian product. For every input element x, the
 * numerical derivative is the central difference (L(x+ε) − L(x−ε)) / 2ε, with L summed in double
 * to keep float32 rounding out of the difference. An element passes when
 * |analytic − numeric| ≤ atol + rtol·max(|analytic|, |numeric|).
 *
 * <p>Float32 allows only a coarse ε; the defaults (ε = 1e-3, atol = 1e-3, rtol = 1e-2) catch a
 * wrong factor, sign or index while tolerating rounding. Choose inputs away from kinks (0 for
 * ReLU and |x|, ties for max).
 */
public final class GradCheck {

    /** Outcome of one check; {@link #toString()} describes the worst element. */
    public record Report(boolean passed, double maxAbsError, int worstInput, int worstIndex,
                         double analytic, double numeric) {
        @Override
        public String toString() {
            return (passed ? "passed" : "FAILED") + String.format(
                    ": worst |analytic - numeric| = %.3g at input %d, element %d (analytic %.6g, numeric %.6g)",
                    maxAbsError, worstInput, worstIndex, analytic, numeric);
        }
    }

    private final double eps;
    private final double atol;
    private final double rtol;

    private GradCheck(double eps, double atol, double rtol) {
        this.eps = eps;
        this.atol = atol;
        this.rtol = rtol;
    }

    /** A checker with the default step and tolerances. */
    public static GradCheck standard() {
        return new GradCheck(1e-3, 1e-3, 1e-2);
    }

    /** A checker with a given step and tolerances. */
    public static GradCheck with(double eps, double atol, double rtol) {
        return new GradCheck(eps, atol, rtol);
    }

    /**
     * Compares the gradients autograd gives for {@code f} at {@code inputs} with finite
     * differences. The inputs are copied; the originals are left alone.
     */
    public Report check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        Tensor[] xs = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            xs[i] = Tensor.of(inputs[i].toArray(), inputs[i].shape()).requiresGrad(true);
        }
        Tensor out = f.apply(xs);
        Tensor weights = Tensor.randn(new Rng(0x5eedL), out.shape());
        Tensor loss = out.mul(weights).sum();
        Tensor[] analytic = Autograd.grad(loss, xs);

        boolean passed = true;
        double worst = -1;
        int worstInput = -1;
        int worstIndex = -1;
        double worstA = 0;
        double worstN = 0;
        double worstExcess = Double.NEGATIVE_INFINITY;
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            for (int i = 0; i < xs.length; i++) {
                float[] x = xs[i].data;
                float[] a = analytic[i].toArray();
                for (int j = 0; j < x.length; j++) {
                    float original = x[j];
                    float plus = (float) (original + eps);
                    float minus = (float) (original - eps);
                    x[j] = plus;
                    double up = weighted(f.apply(xs), weights);
                    x[j] = minus;
                    double down = weighted(f.apply(xs), weights);
                    x[j] = original;
                    // Divide by the step actually taken: x ± ε is rounded to float.
                    double numeric = (up - down) / ((double) plus - minus);
                    double err = Math.abs(a[j] - numeric);
                    double allowed = atol + rtol * Math.max(Math.abs(a[j]), Math.abs(numeric));
                    boolean ok = err <= allowed;
                    passed &= ok;
                    if (err - allowed > worstExcess) {
                        worstExcess = err - allowed;
                        worst = err;
                        worstInput = i;
                        worstIndex = j;
                        worstA = a[j];
                        worstN = numeric;
                    }
                }
            }
        }
        return new Report(passed, worst, worstInput, worstIndex, worstA, worstN);
    }

    private static double weighted(Tensor out, Tensor weights) {
        float[] o = out.toArray();
        float[] w = weights.toArray();
        double s = 0;
        for (int k = 0; k < o.length; k++) {
            s += (double) o[k] * w[k];
        }
        return s;
    }
}
