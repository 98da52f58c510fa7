package org.omomi.recommend;

/**
 * Principal component analysis of a few thousand vectors of a few dozen dimensions: the
 * projection of the centred rows on the top eigenvectors of their covariance, found by the
 * cyclic Jacobi method on the d × d covariance (exact to rounding at these sizes, and
 * deterministic). Each component's sign is fixed so that its largest loading is positive.
 */
final class Pca {

    /** The coordinates [n][components] of n rows of {@code dim} values (row-major). */
    record Projection(double[][] coordinates, double[] explained) {}

    private Pca() {}

    static Projection project(float[] rows, int dim, int components) {
        int n = rows.length / dim;
        double[] mean = new double[dim];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < dim; k++) {
                mean[k] += rows[i * dim + k];
            }
        }
        for (int k = 0; k < dim; k++) {
            mean[k] /= n;
        }
        double[][] cov = new double[dim][dim];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < dim; a++) {
                double x = rows[i * dim + a] - mean[a];
                for (int b = a; b < dim; b++) {
                    cov[a][b] += x * (rows[i * dim + b] - mean[b]);
                }
            }
        }
        double total = 0;
        for (int a = 0; a < dim; a++) {
            for (int b = a; b < dim; b++) {
                cov[a][b] /= Math.max(1, n - 1);
                cov[b][a] = cov[a][b];
            }
            total += cov[a][a];
        }
        double[][] vec = new double[dim][dim];
        double[] val = jacobi(cov, vec);
        Integer[] order = new Integer[dim];
        for (int k = 0; k < dim; k++) {
            order[k] = k;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(val[y], val[x]));
        int c = Math.min(components, dim);
        double[][] coords = new double[n][c];
        double[] explained = new double[c];
        for (int j = 0; j < c; j++) {
            int col = order[j];
            int big = 0;
            for (int k = 1; k < dim; k++) {
                if (Math.abs(vec[k][col]) > Math.abs(vec[big][col])) {
                    big = k;
                }
            }
            double sign = vec[big][col] < 0 ? -1 : 1;
            explained[j] = total > 0 ? val[col] / total : 0;
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int k = 0; k < dim; k++) {
                    s += (rows[i * dim + k] - mean[k]) * vec[k][col];
                }
                coords[i][j] = sign * s;
            }
        }
        return new Projection(coords, explained);
    }

    /** Eigenvalues of symmetric a (destroyed), eigenvectors as the columns of v. */
    private static double[] jacobi(double[][] a, double[][] v) {
        int d = a.length;
        for (int i = 0; i < d; i++) {
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
        double[] out = new double[d];
        for (int i = 0; i < d; i++) {
            out[i] = a[i][i];
        }
        return out;
    }
}
