package org.omomi.segment;

import org.omomi.kernel.Parallel;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * How good a clustering is without ground truth, with Euclidean distances in the space given, as
 * scikit-learn's {@code silhouette_score}, {@code davies_bouldin_score} and
 * {@code calinski_harabasz_score} define them. Centroids are the clusters' means; label values
 * need not be 0 … k−1, and a label with no points is no cluster.
 */
public final class Quality {

    /** Rows the silhouette is exact for by default; larger tables use a seeded sample of this size. */
    public static final int SILHOUETTE_SAMPLE = 5000;

    private Quality() {}

    /**
     * The mean silhouette (Rousseeuw 1987) over all points: s(i) = (b − a) / max(a, b), where a is
     * the mean distance from i to the other members of its cluster and b the smallest mean distance
     * from i to the members of another cluster; s(i) = 0 for a point alone in its cluster. In
     * [−1, 1], higher is better. Exact, O(n²·d).
     */
    public static double silhouette(Tensor x, int[] labelValues) {
        KMeans.Points p = KMeans.Points.of(x);
        check(p, labelValues);
        int[] labels = relabel(labelValues);
        int k = count(labels);
        if (k < 2 || k > p.n() - 1) {
            throw new IllegalArgumentException("the silhouette needs 2 ≤ clusters ≤ n − 1, got " + k + " clusters of " + p.n() + " points");
        }
        int[] sizes = new int[k];
        for (int l : labels) {
            sizes[l]++;
        }
        double[] s = new double[p.n()];
        int d = p.d();
        float[] xs = p.x();
        Parallel.forRange(p.n(), 64, (i0, i1) -> {
            double[] sum = new double[k];
            for (int i = i0; i < i1; i++) {
                java.util.Arrays.fill(sum, 0);
                for (int j = 0; j < p.n(); j++) {
                    double dist = 0;
                    for (int t = 0; t < d; t++) {
                        double a = xs[i * d + t] - xs[j * d + t];
                        dist += a * a;
                    }
                    sum[labels[j]] += Math.sqrt(dist);
                }
                int own = labels[i];
                if (sizes[own] == 1) {
                    s[i] = 0;
                    continue;
                }
                double a = sum[own] / (sizes[own] - 1);
                double b = Double.POSITIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    if (c != own && sizes[c] > 0) {
                        b = Math.min(b, sum[c] / sizes[c]);
                    }
                }
                double m = Math.max(a, b);
                s[i] = m == 0 ? 0 : (b - a) / m;
            }
        });
        double total = 0;
        for (double v : s) {
            total += v;
        }
        return total / p.n();
    }

    /**
     * The silhouette of a seeded sample of {@code sampleSize} points (scikit-learn's
     * {@code sample_size}), or of all points when there are no more than that.
     */
    public static double silhouette(Tensor x, int[] labels, int sampleSize, Rng rng) {
        int n = x.size(0);
        if (n <= sampleSize) {
            return silhouette(x, labels);
        }
        int[] rows = java.util.Arrays.copyOf(rng.permutation(n), sampleSize);
        java.util.Arrays.sort(rows);
        int[] sub = new int[sampleSize];
        for (int i = 0; i < sampleSize; i++) {
            sub[i] = labels[rows[i]];
        }
        return silhouette(x.indexSelect(0, rows), relabel(sub));
    }

    /**
     * The Davies–Bouldin index (Davies and Bouldin 1979): the mean over clusters i of
     * maxⱼ≠ᵢ (sᵢ + sⱼ) / ‖cᵢ − cⱼ‖, where sᵢ is the mean distance of cluster i's members to its
     * centroid cᵢ. Lower is better; 0 when every sᵢ is 0. Coinciding centroids contribute 0.
     */
    public static double daviesBouldin(Tensor x, int[] labels) {
        KMeans.Points p = KMeans.Points.of(x);
        check(p, labels);
        labels = relabel(labels);
        int k = count(labels);
        if (k < 2) {
            throw new IllegalArgumentException("Davies–Bouldin needs at least 2 clusters, got " + k);
        }
        int d = p.d();
        double[] c = centroids(p, labels, k);
        double[] spread = new double[k];
        long[] sizes = new long[k];
        for (int i = 0; i < p.n(); i++) {
            int l = labels[i];
            double dist = 0;
            for (int t = 0; t < d; t++) {
                double a = p.x()[i * d + t] - c[l * d + t];
                dist += a * a;
            }
            spread[l] += Math.sqrt(dist);
            sizes[l]++;
        }
        boolean allTight = true;
        for (int l = 0; l < k; l++) {
            spread[l] /= sizes[l];
            allTight &= spread[l] == 0;
        }
        if (allTight) {
            return 0;
        }
        double total = 0;
        for (int i = 0; i < k; i++) {
            double worst = 0;
            for (int j = 0; j < k; j++) {
                if (j == i) {
                    continue;
                }
                double dist = 0;
                for (int t = 0; t < d; t++) {
                    double a = c[i * d + t] - c[j * d + t];
                    dist += a * a;
                }
                if (dist > 0) {
                    worst = Math.max(worst, (spread[i] + spread[j]) / Math.sqrt(dist));
                }
            }
            total += worst;
        }
        return total / k;
    }

    /**
     * The Calinski–Harabasz index (Calinski and Harabasz 1974), the variance ratio
     * [B / (k − 1)] / [W / (n − k)], with B = Σ_c n_c‖c_c − x̄‖² between clusters and
     * W = Σᵢ‖xᵢ − c(xᵢ)‖² within. Higher is better; 1 when W = 0, as scikit-learn.
     */
    public static double calinskiHarabasz(Tensor x, int[] labels) {
        KMeans.Points p = KMeans.Points.of(x);
        check(p, labels);
        labels = relabel(labels);
        int k = count(labels);
        if (k < 2 || k > p.n() - 1) {
            throw new IllegalArgumentException("Calinski–Harabasz needs 2 ≤ clusters ≤ n − 1, got " + k + " clusters of " + p.n() + " points");
        }
        int d = p.d();
        double[] c = centroids(p, labels, k);
        double[] mean = new double[d];
        for (int i = 0; i < p.n(); i++) {
            for (int t = 0; t < d; t++) {
                mean[t] += p.x()[i * d + t];
            }
        }
        for (int t = 0; t < d; t++) {
            mean[t] /= p.n();
        }
        long[] sizes = new long[k];
        double within = 0;
        for (int i = 0; i < p.n(); i++) {
            int l = labels[i];
            sizes[l]++;
            for (int t = 0; t < d; t++) {
                double a = p.x()[i * d + t] - c[l * d + t];
                within += a * a;
            }
        }
        double between = 0;
        for (int l = 0; l < k; l++) {
            for (int t = 0; t < d; t++) {
                double a = c[l * d + t] - mean[t];
                between += sizes[l] * a * a;
            }
        }
        if (within == 0) {
            return 1.0;
        }
        return between * (p.n() - k) / (within * (k - 1));
    }

    /** Cluster means [k·d] in double. */
    static double[] centroids(KMeans.Points p, int[] labels, int k) {
        int d = p.d();
        double[] c = new double[k * d];
        long[] sizes = new long[k];
        for (int i = 0; i < p.n(); i++) {
            int l = labels[i];
            sizes[l]++;
            for (int t = 0; t < d; t++) {
                c[l * d + t] += p.x()[i * d + t];
            }
        }
        for (int l = 0; l < k; l++) {
            for (int t = 0; t < d; t++) {
                c[l * d + t] /= Math.max(1, sizes[l]);
            }
        }
        return c;
    }

    private static void check(KMeans.Points p, int[] labels) {
        if (labels.length != p.n()) {
            throw new IllegalArgumentException(labels.length + " labels for " + p.n() + " points");
        }
    }

    /** The number of clusters in labels numbered 0 … k−1. */
    private static int count(int[] labels) {
        int max = -1;
        for (int l : labels) {
            max = Math.max(max, l);
        }
        return max + 1;
    }

    /** Labels renumbered 0 … k−1 in order of first appearance. */
    static int[] relabel(int[] labels) {
        java.util.Map<Integer, Integer> ids = new java.util.HashMap<>();
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = ids.computeIfAbsent(labels[i], key -> ids.size());
        }
        return out;
    }
}
