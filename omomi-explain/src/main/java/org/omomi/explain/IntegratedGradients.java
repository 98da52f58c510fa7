package org.omomi.explain;

import java.util.LinkedHashMap;
import java.util.Map;
import org.omomi.tensor.Tensor;

/**
 * Integrated Gradients (Sundararajan et al. 2017): attribution_i = (x_i − x′_i) · ∫₀¹ ∂F/∂x_i(x′ + α(x − x′)) dα,
 * the integral taken with a {@link Quadrature} rule. By the completeness axiom the attributions
 * add up to F(x) − F(x′); the signed convergence delta δ = Σ attributions − (F(x) − F(x′)) says how
 * well the rule integrated, and is reported with every explanation (Captum's
 * {@code return_convergence_delta}).
 *
 * <p>The default is 50 steps of Gauss–Legendre, as in Captum. The baseline x′ is chosen by the
 * caller: an all-zero input (black image; for standardized data, the mean of the data), the
 * training mean, or a blurred copy of x.
 */
public final class IntegratedGradients {

    /** Captum's default number of steps. */
    public static final int DEFAULT_STEPS = 50;

    private IntegratedGradients() {}

    /** Attributions of F at x (shape [1, …]) against the baseline (same shape). Path points go through the model in batches of up to 64. */
    public static Attribution of(Explained f, Tensor x, Tensor baseline, int steps, Quadrature rule) {
        int[] shape = Explained.exampleShape(x);
        if (!java.util.Arrays.equals(x.shape(), baseline.shape())) {
            throw new IllegalArgumentException("the baseline's shape " + java.util.Arrays.toString(baseline.shape())
                    + " differs from the input's " + java.util.Arrays.toString(x.shape()));
        }
        double[][] r = rule.rule(steps);
        double[] alphas = r[0];
        double[] weights = r[1];
        float[] xv = x.toArray();
        float[] bv = baseline.toArray();
        int n = xv.length;
        double[] integral = new double[n];
        for (int from = 0; from < steps; from += 64) {
            int b = Math.min(64, steps - from);
            float[] points = new float[b * n];
            for (int s = 0; s < b; s++) {
                double a = alphas[from + s];
                for (int i = 0; i < n; i++) {
                    points[s * n + i] = (float) (bv[i] + a * ((double) xv[i] - bv[i]));
                }
            }
            float[] g = f.gradient(Tensor.wrap(points, Saliency.batchShape(b, shape))).toArray();
            for (int s = 0; s < b; s++) {
                double w = weights[from + s];
                for (int i = 0; i < n; i++) {
                    integral[i] += w * g[s * n + i];
                }
            }
        }
        float[] attributions = new float[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            attributions[i] = (float) (((double) xv[i] - bv[i]) * integral[i]);
            sum += ((double) xv[i] - bv[i]) * integral[i];
        }
        double fx = f.value(x);
        double fb = f.value(baseline);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("steps", (long) steps);
        details.put("rule", rule.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        return new Attribution("integrated_gradients", attributions, shape, f.target(), f.output(), fx, fb, sum - (fx - fb), details);
    }
}
