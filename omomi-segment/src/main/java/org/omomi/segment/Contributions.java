package org.omomi.segment;

import org.omomi.explain.Quadrature;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Tensor;

/**
 * Which features make up a squared distance in a metric's space, by Integrated Gradients
 * (Sundararajan, Taly and Yan 2017) along the straight path from a baseline b to the point x:
 * for F(z) = ‖f(z) − t‖²,
 * <pre>
 * contributionⱼ = (xⱼ − bⱼ) · ∫₀¹ ∂F/∂zⱼ (b + α(x − b)) dα,     Σⱼ contributionⱼ = F(x) − F(b)
 * </pre>
 * With b the centre's pre-image (its members' mean in input space) and t the centre, F(b) = 0
 * for a linear metric, and the contributions split the squared distance exactly; for a linear
 * metric they are (x − b)ⱼ·[M(x − b)]ⱼ with M = AᵀA, and for plain or weighted k-means
 * wⱼ(xⱼ − bⱼ)². The integral is taken by {@value #STEPS}-point Gauss–Legendre, exact for every
 * linear metric.
 */
public final class Contributions {

    /** Gauss–Legendre points along each path. */
    static final int STEPS = 32;

    private Contributions() {}

    /**
     * Contributions of each feature to ‖f(xᵢ) − tᵢ‖² − ‖f(bᵢ) − tᵢ‖² for each row i of x and b
     * [n, d] and t [n, e]: [n][d].
     */
    public static double[][] of(Metric metric, Tensor x, Tensor baseline, Tensor target) {
        int n = x.size(0);
        int d = x.size(1);
        double[][] rule = Quadrature.GAUSS_LEGENDRE.rule(STEPS);
        float[] xv = x.contiguous().toArray();
        float[] bv = baseline.contiguous().toArray();
        float[] tv = target.contiguous().toArray();
        int e = target.size(1);
        float[] path = new float[n * STEPS * d];
        float[] targets = new float[n * STEPS * e];
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < STEPS; s++) {
                double a = rule[0][s];
                int row = i * STEPS + s;
                for (int j = 0; j < d; j++) {
                    path[row * d + j] = (float) (bv[i * d + j] + a * ((double) xv[i * d + j] - bv[i * d + j]));
                }
                System.arraycopy(tv, i * e, targets, row * e, e);
            }
        }
        Tensor z = Tensor.wrap(path, n * STEPS, d).requiresGrad(true);
        float[] g;
        try (Autograd.Scope ignored = Autograd.enableGrad()) {
            Tensor diff = metric.apply(z).sub(Tensor.wrap(targets, n * STEPS, e));
            g = Autograd.grad(diff.mul(diff).sum(), z)[0].toArray();
        }
        double[][] out = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < STEPS; s++) {
                double w = rule[1][s];
                int row = i * STEPS + s;
                for (int j = 0; j < d; j++) {
                    out[i][j] += w * g[row * d + j];
                }
            }
            for (int j = 0; j < d; j++) {
                out[i][j] *= (double) xv[i * d + j] - bv[i * d + j];
            }
        }
        return out;
    }
}
