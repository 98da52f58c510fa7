package org.omomi.testing;

/**
 * Reference fits in double precision, to compare a solver against: the maximum-likelihood logistic
 * regression by Newton's method (iteratively reweighted least squares) and least squares by the
 * normal equations, each with an intercept and an optional L2 penalty λ·Σwⱼ² on the weights (not
 * the intercept), as omomi's {@code Penalty.l2} on a Dense weight. Inputs are n × p row-major.
 * Results are p weights followed by the intercept.
 */
public final class ExactFits {

    private ExactFits() {}

    /** Column means and population standard deviations of an n × p matrix (1 where a column is constant). */
    public static double[][] standardization(double[] x, int n, int p) {
        double[] mean = new double[p];
        double[] sd = new double[p];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                mean[j] += x[i * p + j];
            }
        }
        for (int j = 0; j < p; j++) {
            mean[j] /= n;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                double d = x[i * p + j] - mean[j];
                sd[j] += d * d;
            }
        }
        for (int j = 0; j < p; j++) {
            sd[j] = sd[j] == 0 ? 1 : Math.sqrt(sd[j] / n);
        }
        return new double[][] {mean, sd};
    }

    /** (x − mean) / sd column by column. */
    public static double[] standardize(double[] x, int n, int p, double[][] meanSd) {
        double[] z = new double[n * p];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                z[i * p + j] = (x[i * p + j] - meanSd[0][j]) / meanSd[1][j];
            }
        }
        return z;
    }

    /**
     * The minimizer of the mean log-loss (1/n)·Σ[log(1 + e^η) − y·η] + λ·Σwⱼ², η = x·w + b, by
     * Newton's method from zero, until the largest step is below 1e-12 (at most 100 iterations).
     *
     * @throws IllegalStateException when Newton's method does not get there (separable data)
     */
    public static double[] logistic(double[] x, double[] y, int n, int p, double lambda) {
        int k = p + 1;
        double[] w = new double[k];
        for (int iter = 0; iter < 100; iter++) {
            double[] grad = new double[k];
            double[] hess = new double[k * k];
            double[] row = new double[k];
            for (int i = 0; i < n; i++) {
                double eta = w[p];
                for (int j = 0; j < p; j++) {
                    row[j] = x[i * p + j];
                    eta += row[j] * w[j];
                }
                row[p] = 1;
                double mu = 1 / (1 + Math.exp(-eta));
                double r = mu - y[i];
                double v = mu * (1 - mu);
                for (int a = 0; a < k; a++) {
                    grad[a] += r * row[a];
                    double va = v * row[a];
                    for (int b = 0; b <= a; b++) {
                        hess[a * k + b] += va * row[b];
                    }
                }
            }
            for (int a = 0; a < k; a++) {
                grad[a] /= n;
                for (int b = 0; b <= a; b++) {
                    hess[a * k + b] /= n;
                    hess[b * k + a] = hess[a * k + b];
                }
            }
            for (int j = 0; j < p; j++) {
                grad[j] += 2 * lambda * w[j];
                hess[j * k + j] += 2 * lambda;
            }
            double[] step = solve(hess, grad, k);
            double largest = 0;
            for (int a = 0; a < k; a++) {
                w[a] -= step[a];
                largest = Math.max(largest, Math.abs(step[a]));
            }
            if (largest < 1e-12) {
                return w;
            }
        }
        throw new IllegalStateException("Newton's method did not converge in 100 iterations (separable data?)");
    }

    /** The minimizer of (1/n)·Σ(y − x·w − b)² + λ·Σwⱼ², from the normal equations. */
    public static double[] leastSquares(double[] x, double[] y, int n, int p, double lambda) {
        int k = p + 1;
        double[] a = new double[k * k];
        double[] rhs = new double[k];
        double[] row = new double[k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                row[j] = x[i * p + j];
            }
            row[p] = 1;
            for (int r = 0; r < k; r++) {
                rhs[r] += row[r] * y[i] / n;
                for (int c = 0; c <= r; c++) {
                    a[r * k + c] += row[r] * row[c] / n;
                }
            }
        }
        for (int r = 0; r < k; r++) {
            for (int c = 0; c < r; c++) {
                a[c * k + r] = a[r * k + c];
            }
        }
        for (int j = 0; j < p; j++) {
            a[j * k + j] += lambda;
        }
        return solve(a, rhs, k);
    }

    /** x·w + b for each row; w holds p weights then b. */
    public static double[] predict(double[] x, int n, int p, double[] w) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double s = w[p];
            for (int j = 0; j < p; j++) {
                s += x[i * p + j] * w[j];
            }
            out[i] = s;
        }
        return out;
    }

    /** Solves A·s = b for symmetric positive definite A (k × k) by Cholesky. */
    static double[] solve(double[] a, double[] b, int k) {
        double[] l = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * k + j];
                for (int m = 0; m < j; m++) {
                    s -= l[i * k + m] * l[j * k + m];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new IllegalStateException("the matrix is not positive definite (pivot " + i + " is " + s + ")");
                    }
                    l[i * k + i] = Math.sqrt(s);
                } else {
                    l[i * k + j] = s / l[j * k + j];
                }
            }
        }
        double[] z = new double[k];
        for (int i = 0; i < k; i++) {
            double s = b[i];
            for (int m = 0; m < i; m++) {
                s -= l[i * k + m] * z[m];
            }
            z[i] = s / l[i * k + i];
        }
        double[] x = new double[k];
        for (int i = k - 1; i >= 0; i--) {
            double s = z[i];
            for (int m = i + 1; m < k; m++) {
                s -= l[m * k + i] * x[m];
            }
            x[i] = s / l[i * k + i];
        }
        return x;
    }
}
