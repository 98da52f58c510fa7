package org.omomi.recommend;

import java.util.ArrayList;
import java.util.List;

/**
 * Generated data for the tests, split the way the must-show figures need: the last
 * {@code coldUsers} users are new users the model never trains on (their histories are kept for
 * fold-in), the others are split leave-one-out by time with the one before for validation.
 */
final class Generated {

    record Setup(Synthetic.Data truth, Interactions data, Split split, List<PreferenceVectors.History> cold) {

        /** Training interactions per item, the popularity baseline's scores. */
        float[] popularity() {
            float[] p = new float[data.itemCount()];
            for (int k : split.train()) {
                p[data.item(k)]++;
            }
            return p;
        }
    }

    private Generated() {}

    static Setup of(Synthetic.Options o, int coldUsers) {
        Synthetic.Data d = Synthetic.generate(o);
        Interactions all = d.interactions();
        int[][] byUser = all.byUser();
        List<Integer> warm = new ArrayList<>();
        List<PreferenceVectors.History> cold = new ArrayList<>();
        for (int u = 0; u < all.userCount(); u++) {
            if (u < all.userCount() - coldUsers) {
                for (int k : byUser[u]) {
                    warm.add(k);
                }
            } else {
                cold.add(PreferenceVectors.History.of(all, byUser[u]));
            }
        }
        Interactions data = all.subset(warm.stream().mapToInt(Integer::intValue).toArray());
        return new Setup(d, data, Split.leaveOneOut(data, 1, true, o.seed()), cold);
    }

    /** R² of the planted item factors regressed (least squares, with an intercept) on the learned item vectors. */
    static double plantedR2(float[][] planted, Factors f) {
        int n = planted.length;
        int d = f.dim() + 1;
        double[][] g = new double[d][d];
        for (int i = 0; i < n; i++) {
            double[] x = row(f, i);
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    g[a][b] += x[a] * x[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            g[a][a] += 1e-9 * n;
        }
        double res = 0;
        double tot = 0;
        for (int c = 0; c < planted[0].length; c++) {
            double[] xy = new double[d];
            double mean = 0;
            for (int i = 0; i < n; i++) {
                double[] x = row(f, i);
                for (int a = 0; a < d; a++) {
                    xy[a] += x[a] * planted[i][c];
                }
                mean += planted[i][c];
            }
            mean /= n;
            double[] w = Cholesky.solve(g, xy);
            for (int i = 0; i < n; i++) {
                double[] x = row(f, i);
                double p = 0;
                for (int a = 0; a < d; a++) {
                    p += x[a] * w[a];
                }
                res += (planted[i][c] - p) * (planted[i][c] - p);
                tot += (planted[i][c] - mean) * (planted[i][c] - mean);
            }
        }
        return 1 - res / tot;
    }

    private static double[] row(Factors f, int i) {
        double[] x = new double[f.dim() + 1];
        x[0] = 1;
        for (int k = 0; k < f.dim(); k++) {
            x[k + 1] = f.items()[i * f.dim() + k];
        }
        return x;
    }
}
