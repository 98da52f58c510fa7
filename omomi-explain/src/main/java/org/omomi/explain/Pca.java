package org.omomi.explain;

import org.omomi.tensor.Tensor;

/**
 * Principal component analysis for pictures: the directions of largest variance of x [n, d],
 * from the eigenvectors of its covariance (cyclic Jacobi rotations, exact to rounding for the
 * few dozen dimensions of a customer table or a recommender's item vectors, and deterministic).
 * Each component's sign is fixed so that its largest-magnitude entry is positive, so the same
 * data give the same picture. Segmentation's projection and the recommender's item map use it.
 *
 * @param mean       [d], the data's mean
 * @param components [m][d], unit vectors, by decreasing variance
 * @param variance   [m], the variance along each
 * @param explained  [m], each one's share of the total variance
 */
public record Pca(double[] mean, double[][] components, double[] variance, double[] explained) {

    /** The first {@code m} principal components of x [n, d]. */
    public static Pca fit(Tensor x, int m) {
        int n = x.size(0);
        int d = x.size(1);
        if (m < 1 || m > d) {
            throw new IllegalArgumentException("PCA: 1 ≤ components ≤ " + d + " features, got " + m);
        }
        float[] v = x.contiguous().toArray();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += v[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[][] cov = new double[d][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double a = v[i * d + j] - mean[j];
                for (int k = j; k < d; k++) {
                    cov[j][k] += a * (v[i * d + k] - mean[k]);
                }
            }
        }
        double total = 0;
        for (int j = 0; j < d; j++) {
            for (int k = j; k < d; k++) {
                cov[j][k] /= Math.max(1, n - 1);
                cov[k][j] = cov[j][k];
            }
            total += cov[j][j];
        }
        double[][] vectors = new double[d][d];
        double[] values = jacobi(cov, vectors);
        Integer[] order = new Integer[d];
        for (int j = 0; j < d; j++) {
            order[j] = j;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
        double[][] comps = new double[m][d];
        double[] var = new double[m];
        double[] share = new double[m];
        for (int c = 0; c < m; c++) {
            int col = order[c];
            int big = 0;
            for (int j = 0; j < d; j++) {
                comps[c][j] = vectors[j][col];
                if (Math.abs(comps[c][j]) > Math.abs(comps[c][big])) {
                    big = j;
                }
            }
            if (comps[c][big] < 0) {
                for (int j = 0; j < d; j++) {
                    comps[c][j] = -comps[c][j];
                }
            }
            var[c] = Math.max(0, values[col]);
            share[c] = total > 0 ? var[c] / total : 0;
        }
        return new Pca(mean, comps, var, share);
    }

    /** The coordinates of x [n, d] along the components: [n, m]. */
    public Tensor project(Tensor x) {
        int n = x.size(0);
        int d = mean.length;
        int m = components.length;
        float[] v = x.contiguous().toArray();
        float[] out = new float[n * m];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < m; c++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += (v[i * d + j] - mean[j]) * components[c][j];
                }
                out[i * m + c] = (float) s;
            }
        }
        return Tensor.wrap(out, n, m);
    }

    /** Eigenvalues of the symmetric matrix a (destroyed), eigenvectors into the columns of v. */
    static double[] jacobi(double[][] a, double[][] v) {
        int d = a.length;
        for (int i = 0; i < d; i++) {
            java.util.Arrays.fill(v[i], 0);
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < d; p++) {
                for (int q = p + 1; q < d; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off < 1e-30) {
                break;
            }
            for (int p = 0; p < d; p++) {
                for (int q = p + 1; q < d; q++) {
                    if (Math.abs(a[p][q]) < 1e-300) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < d; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < d; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < d; k++) {
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        double[] values = new double[d];
        for (int i = 0; i < d; i++) {
            values[i] = a[i][i];
        }
        return values;
    }
}
