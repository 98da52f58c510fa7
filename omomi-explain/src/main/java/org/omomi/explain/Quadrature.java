package org.omomi.explain;

/**
 * Rules for ∫₀¹ g(α) dα from {@code steps} evaluations of g: the nodes α and weights w (Σ w = 1).
 * Integrated Gradients uses them along the straight path from the baseline to the input; the
 * Riemann rules are Captum's {@code riemann_left/right/middle/trapezoid}, Gauss–Legendre its
 * {@code gausslegendre} (exact for polynomials of degree 2·steps − 1, so it needs far fewer steps).
 */
public enum Quadrature {
    /** α = i/m, i = 0 … m−1, w = 1/m. */
    RIEMANN_LEFT,
    /** α = (i+1)/m, w = 1/m. */
    RIEMANN_RIGHT,
    /** α = (i+½)/m, w = 1/m. */
    RIEMANN_MIDDLE,
    /** α = i/(m−1), i = 0 … m−1, w = 1/(m−1) with half weight at both ends; m ≥ 2. */
    TRAPEZOID,
    /** The Gauss–Legendre nodes and weights mapped from [−1, 1] to [0, 1]. */
    GAUSS_LEGENDRE;

    /** {nodes, weights}, each of length {@code steps}. */
    public double[][] rule(int steps) {
        if (steps < 1 || (this == TRAPEZOID && steps < 2)) {
            throw new IllegalArgumentException(name().toLowerCase(java.util.Locale.ROOT) + " needs at least " + (this == TRAPEZOID ? 2 : 1) + " steps, got " + steps);
        }
        double[] a = new double[steps];
        double[] w = new double[steps];
        switch (this) {
            case RIEMANN_LEFT, RIEMANN_RIGHT, RIEMANN_MIDDLE -> {
                double shift = this == RIEMANN_LEFT ? 0 : this == RIEMANN_RIGHT ? 1 : 0.5;
                for (int i = 0; i < steps; i++) {
                    a[i] = (i + shift) / steps;
                    w[i] = 1.0 / steps;
                }
            }
            case TRAPEZOID -> {
                for (int i = 0; i < steps; i++) {
                    a[i] = (double) i / (steps - 1);
                    w[i] = (i == 0 || i == steps - 1 ? 0.5 : 1.0) / (steps - 1);
                }
            }
            case GAUSS_LEGENDRE -> gaussLegendre(steps, a, w);
        }
        return new double[][] {a, w};
    }

    /** The command line's name: left, right, middle, trapezoid, gauss-legendre. */
    public static Quadrature named(String name) {
        return switch (name) {
            case "left", "riemann-left" -> RIEMANN_LEFT;
            case "right", "riemann-right" -> RIEMANN_RIGHT;
            case "middle", "riemann-middle" -> RIEMANN_MIDDLE;
            case "trapezoid" -> TRAPEZOID;
            case "gauss-legendre", "gausslegendre" -> GAUSS_LEGENDRE;
            default -> throw new IllegalArgumentException("unknown integration rule '" + name + "'; known: left, right, middle, trapezoid, gauss-legendre");
        };
    }

    // Roots of the Legendre polynomial P_m by Newton's method from Chebyshev guesses, with the
    // weights 2 / ((1 − x²) P_m'(x)²), then mapped to [0, 1] (halving the weights).
    private static void gaussLegendre(int m, double[] a, double[] w) {
        for (int i = 0; i < (m + 1) / 2; i++) {
            double x = Math.cos(Math.PI * (i + 0.75) / (m + 0.5));
            double dp = 0;
            for (int iter = 0; iter < 100; iter++) {
                double p0 = 1;
                double p1 = x;
                for (int k = 2; k <= m; k++) {
                    double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                }
                double pm = m == 1 ? x : p1;
                double pm1 = m == 1 ? 1 : p0;
                dp = m * (x * pm - pm1) / (x * x - 1);
                double dx = pm / dp;
                x -= dx;
                if (Math.abs(dx) < 1e-15) {
                    break;
                }
            }
            double p0 = 1;
            double p1 = x;
            for (int k = 2; k <= m; k++) {
                double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
                p0 = p1;
                p1 = p2;
            }
            dp = m == 1 ? 1 : m * (x * p1 - p0) / (x * x - 1);
            double weight = 2 / ((1 - x * x) * dp * dp);
            // x is the i-th largest root; its mirror is −x.
            a[m - 1 - i] = (1 + x) / 2;
            w[m - 1 - i] = weight / 2;
            a[i] = (1 - x) / 2;
            w[i] = weight / 2;
        }
    }
}
