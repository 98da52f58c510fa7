package org.omomi.init;

import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * A (semi-)orthogonal matrix times a gain, as {@code torch.nn.init.orthogonal_} (Saxe et al., 2013):
 * the weight viewed as rows × (product of the other dimensions) is the Q of a QR decomposition of
 * a standard normal matrix, with signs fixed by the diagonal of R so the result is uniformly
 * distributed. Rows are orthonormal when rows ≤ columns, columns otherwise.
 */
public record Orthogonal(double gain) implements Initializer {

    @Override
    public void initialize(Tensor t, Rng rng) {
        int[] shape = t.shape();
        if (shape.length < 2) {
            throw new IllegalArgumentException("orthogonal initialization needs at least 2 dimensions, got " + java.util.Arrays.toString(shape));
        }
        int rows = shape[0];
        int cols = t.numel() / rows;
        boolean transpose = rows < cols;
        int m = transpose ? cols : rows; // tall matrix m × n, m ≥ n
        int n = transpose ? rows : cols;
        double[][] a = new double[m][n];
        float[] g = Tensor.randn(rng, m, n).toArray();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = g[i * n + j];
            }
        }
        double[][] q = householderQ(a, m, n);
        float[] out = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] = (float) (gain * (transpose ? q[j][i] : q[i][j]));
            }
        }
        Init.set(t, Tensor.of(out, shape));
    }

    /**
     * The first n columns of Q in A = QR (Householder), each multiplied by the sign of R's diagonal
     * entry, which makes the factorization unique.
     */
    private static double[][] householderQ(double[][] a, int m, int n) {
        double[][] r = new double[m][];
        for (int i = 0; i < m; i++) {
            r[i] = a[i].clone();
        }
        double[][] vs = new double[n][];
        for (int k = 0; k < n; k++) {
            double norm = 0;
            for (int i = k; i < m; i++) {
                norm += r[i][k] * r[i][k];
            }
            norm = Math.sqrt(norm);
            double alpha = r[k][k] > 0 ? -norm : norm;
            double[] v = new double[m];
            for (int i = k; i < m; i++) {
                v[i] = r[i][k];
            }
            v[k] -= alpha;
            double vnorm = 0;
            for (int i = k; i < m; i++) {
                vnorm += v[i] * v[i];
            }
            if (vnorm > 0) {
                for (int j = k; j < n; j++) {
                    double dot = 0;
                    for (int i = k; i < m; i++) {
                        dot += v[i] * r[i][j];
                    }
                    double f = 2 * dot / vnorm;
                    for (int i = k; i < m; i++) {
                        r[i][j] -= f * v[i];
                    }
                }
            }
            vs[k] = vnorm > 0 ? v : null;
            if (vs[k] != null) {
                vs[k] = scale(v, 1 / Math.sqrt(vnorm));
            }
        }
        // Q = H₀ H₁ … applied to the first n columns of the identity.
        double[][] q = new double[m][n];
        for (int j = 0; j < n; j++) {
            q[j][j] = 1;
        }
        for (int k = n - 1; k >= 0; k--) {
            double[] v = vs[k];
            if (v == null) {
                continue;
            }
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int i = k; i < m; i++) {
                    dot += v[i] * q[i][j];
                }
                for (int i = k; i < m; i++) {
                    q[i][j] -= 2 * dot * v[i];
                }
            }
        }
        for (int j = 0; j < n; j++) {
            double sign = r[j][j] < 0 ? -1 : 1;
            for (int i = 0; i < m; i++) {
                q[i][j] *= sign;
            }
        }
        return q;
    }

    private static double[] scale(double[] v, double s) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * s;
        }
        return out;
    }
}
