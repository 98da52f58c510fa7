package org.omomi.segment;

import java.util.ArrayList;
import java.util.List;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * Choosing k: k-means for every k in a range, judged three ways side by side.
 *
 * <ul>
 * <li><b>Silhouette</b> ({@link Quality#silhouette}): the highest wins.</li>
 * <li><b>Elbow</b> of the inertia curve: the k farthest below the straight line from the first
 *     to the last point once both axes are scaled to [0, 1], the core of Kneedle (Satopää, Albrecht,
 *     Irwin and Raghavan 2011) without its smoothing.</li>
 * <li><b>Calinski–Harabasz</b> ({@link Quality#calinskiHarabasz}): the highest wins.</li>
 * </ul>
 * The {@linkplain #chosen choice} is the k that at least two of the three pick, else the
 * silhouette's: one criterion alone is easily swayed (the silhouette favours few, well-separated
 * groups; the elbow is a matter of shape), two agreeing rarely are.
 *
 * @param ks          the k tried, increasing
 * @param clusterings the k-means result for each
 * @param inertia     Σ distance² for each
 * @param silhouette  the (sampled) silhouette for each
 * @param calinskiHarabasz the variance ratio for each
 */
public record KSelection(int[] ks, List<Clustering> clusterings, double[] inertia, double[] silhouette, double[] calinskiHarabasz) {

    /** k-means (with {@code options}' restarts and iterations) for k = kMin … kMax on x [n, d]. */
    public static KSelection run(Tensor x, int kMin, int kMax, KMeans.Options options, Rng rng) {
        if (kMin < 2 || kMax < kMin + 2) {
            throw new IllegalArgumentException("choosing k needs 2 ≤ kMin and at least three values of k, got " + kMin + " … " + kMax);
        }
        if (kMax >= x.size(0)) {
            throw new IllegalArgumentException("choosing k up to " + kMax + " needs more than " + kMax + " customers, got " + x.size(0));
        }
        int m = kMax - kMin + 1;
        int[] ks = new int[m];
        double[] inertia = new double[m];
        double[] sil = new double[m];
        double[] ch = new double[m];
        List<Clustering> all = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            int k = kMin + i;
            Clustering c = KMeans.fit(x, new KMeans.Options(k, options.restarts(), options.maxIterations()), rng.split());
            ks[i] = k;
            all.add(c);
            inertia[i] = c.inertia();
            sil[i] = Quality.silhouette(x, c.labels(), Quality.SILHOUETTE_SAMPLE, rng.split());
            ch[i] = Quality.calinskiHarabasz(x, c.labels());
        }
        return new KSelection(ks, List.copyOf(all), inertia, sil, ch);
    }

    /** The k that at least two criteria pick, else the silhouette's. */
    public int chosen() {
        int s = bySilhouette();
        int e = byElbow();
        int c = byCalinskiHarabasz();
        return e == c ? e : s;
    }

    /** The k with the highest silhouette. */
    public int bySilhouette() {
        return ks[argmax(silhouette)];
    }

    /** The k at the elbow of the inertia curve. */
    public int byElbow() {
        return ks[elbow(ks, inertia)];
    }

    /** The k with the highest Calinski–Harabasz index. */
    public int byCalinskiHarabasz() {
        return ks[argmax(calinskiHarabasz)];
    }

    /** The clustering for k. */
    public Clustering clustering(int k) {
        for (int i = 0; i < ks.length; i++) {
            if (ks[i] == k) {
                return clusterings.get(i);
            }
        }
        throw new IllegalArgumentException("k = " + k + " was not tried");
    }

    /** The index of the point farthest below the chord of a decreasing curve, both axes scaled to [0, 1]. */
    static int elbow(int[] ks, double[] y) {
        int m = ks.length;
        double x0 = ks[0];
        double x1 = ks[m - 1];
        double y0 = y[0];
        double y1 = y[m - 1];
        int best = 0;
        double gap = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < m; i++) {
            double xn = (ks[i] - x0) / (x1 - x0);
            double yn = y0 == y1 ? 0 : (y[i] - y1) / (y0 - y1); // 1 at the first point, 0 at the last
            double below = (1 - xn) - yn;
            if (below > gap) {
                gap = below;
                best = i;
            }
        }
        return best;
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
