package org.omomi.segment;

import java.util.Arrays;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * Unsupervised feature-weighted k-means, W-k-means (Huang, Ng, Rong and Li, "Automated variable
 * weighting in k-means type clustering", IEEE TPAMI 27(5), 2005): k-means that also learns one
 * weight per feature, minimising
 * <pre>
 * P(U, Z, W) = Σₗ Σᵢ∈ₗ Σⱼ wⱼ^β (xᵢⱼ − zₗⱼ)²,   Σⱼ wⱼ = 1, wⱼ ≥ 0, β &gt; 1
 * </pre>
 * by blocks, each of which lowers P: with the weights fixed, Lloyd's iterations to convergence in
 * the space xⱼ·wⱼ^(β/2) (partition and centres); with the partition fixed, the paper's closed form
 * <pre>
 * Dⱼ = Σₗ Σᵢ∈ₗ (xᵢⱼ − zₗⱼ)²,    wⱼ = 1 / Σₜ (Dⱼ / Dₜ)^(1/(β−1))   (sums over the features with D &gt; 0)
 * </pre>
 * until a round changes no label. A feature that varies less within the clusters gets more weight;
 * one with Dⱼ = 0 (constant within every cluster) gets 0. With the default β = 2, wⱼ ∝ 1/Dⱼ.
 *
 * <p>Two choices of ours. The paper alternates single passes; we run Lloyd to convergence
 * between weight updates, because with many noise features one noisy pass makes the weights chase
 * whichever feature the first partition happened to split, and they never let go. And the paper
 * starts from random weights; we start from {@linkplain #startWeights the same formula applied to
 * each feature clustered on its own}, so that features with clusters of their own start ahead
 * (from equal weights, dozens of noise features decide the first partition). Every start then
 * takes k-means++ centres in the weighted space; the start with the lowest P wins.
 */
public final class FeatureWeightedKMeans {

    /** The default exponent β. */
    public static final double BETA = 2;

    /**
     * @param k             clusters
     * @param restarts      starts; the lowest objective P wins
     * @param maxIterations most alternations per start
     * @param beta          the weight exponent β &gt; 1
     */
    public record Options(int k, int restarts, int maxIterations, double beta) {
        public Options {
            if (k < 1 || restarts < 1 || maxIterations < 1 || !(beta > 1)) {
                throw new IllegalArgumentException("feature-weighted k-means: k, restarts, maxIterations ≥ 1 and β > 1 required, got k=" + k
                        + ", restarts=" + restarts + ", maxIterations=" + maxIterations + ", β=" + beta);
            }
        }

        /** k clusters, 10 restarts, at most 100 alternations, β = {@value #BETA}. */
        public static Options of(int k) {
            return new Options(k, 10, 100, BETA);
        }

        public Options withBeta(double b) {
            return new Options(k, restarts, maxIterations, b);
        }
    }

    /**
     * @param clustering the partition, with centres and distances in the weighted space xⱼ·wⱼ^(β/2);
     *                   its iterations are Lloyd passes over all rounds
     * @param weights    the learned weights w (sum 1)
     * @param objective  P at the end
     */
    public record Result(Clustering clustering, double[] weights, double objective, double beta) {

        /** The metric of the weighted space: d² = Σⱼ wⱼ^β (xⱼ − yⱼ)². */
        public Metric metric() {
            double[] m = new double[weights.length];
            for (int j = 0; j < m.length; j++) {
                m[j] = Math.pow(weights[j], beta);
            }
            return Metric.weighted(m);
        }
    }

    private FeatureWeightedKMeans() {}

    /** W-k-means on x [n, d], each start from its own split of rng. */
    public static Result fit(Tensor x, Options options, Rng rng) {
        KMeans.Points p = KMeans.Points.of(x);
        double[] startWeights = startWeights(p, options.k(), options.beta());
        Result best = null;
        for (int r = 0; r < options.restarts(); r++) {
            Result res = start(p, startWeights, options, rng.split());
            if (best == null || res.objective() < best.objective()) {
                best = res;
            }
        }
        return best;
    }

    private static Result start(KMeans.Points p, double[] startWeights, Options o, Rng rng) {
        int n = p.n();
        int d = p.d();
        int k = o.k();
        double[] w = startWeights;
        float[] scaled = new float[n * d];
        float[] s = scales(w, o.beta());
        scale(p.x(), s, scaled);
        float[] centres = KMeans.plusPlus(new KMeans.Points(scaled, n, d), k, rng); // in the weighted space
        int[] labels = null;
        int iterations = 0;
        double objective = Double.POSITIVE_INFINITY;
        Clustering c = null;
        double[] used = w;
        boolean converged = false;
        for (int round = 0; round < o.maxIterations() && !converged; round++) {
            used = w;
            c = KMeans.lloyd(new KMeans.Points(scaled, n, d), centres, KMeans.Options.of(k).maxIterations());
            iterations += c.iterations();
            converged = labels != null && Arrays.equals(labels, c.labels());
            labels = c.labels();
            float[] means = means(p, labels, k);
            double[] dj = within(p, labels, means);
            objective = 0;
            for (int j = 0; j < d; j++) {
                objective += Math.pow(w[j], o.beta()) * dj[j];
            }
            if (converged) {
                break; // the weights below would be the ones we have
            }
            w = weights(dj, o.beta());
            s = scales(w, o.beta());
            scale(p.x(), s, scaled);
            centres = new float[k * d];
            scale(means, s, centres);
        }
        c = new Clustering(c.centres(), c.labels(), c.distances(), c.inertia(), iterations, converged);
        return new Result(c, used, objective, o.beta());
    }

    /** Rows of the sample each feature's one-dimensional clustering reads at most. */
    static final int START_SAMPLE = 10_000;

    /**
     * Starting weights: the paper's formula applied to each feature clustered on its own, so that
     * features with clusters of their own start ahead of noise. Dⱼ is the within-cluster sum of
     * squares of a one-dimensional k-means of feature j (Lloyd's iterations from the centres at
     * the (c + ½)/k quantiles, on at most {@value #START_SAMPLE} evenly spaced rows), divided by
     * the feature's total sum of squares. (The paper starts from random weights; with dozens of
     * noise features those let the noise decide the first partition, and the weights follow it.)
     */
    static double[] startWeights(KMeans.Points p, int k, double beta) {
        int d = p.d();
        int m = Math.min(p.n(), START_SAMPLE);
        double[] dj = new double[d];
        double[] v = new double[m];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < m; i++) {
                v[i] = p.x()[(int) ((long) i * p.n() / m) * d + j];
            }
            Arrays.sort(v);
            double total = 0;
            double mean = Arrays.stream(v).average().orElse(0);
            for (double a : v) {
                total += (a - mean) * (a - mean);
            }
            dj[j] = total > 0 ? withinOneDimension(v, Math.min(k, m)) / total : 0;
        }
        return weights(dj, beta);
    }

    /** The within-cluster sum of squares of 1-D k-means on sorted values, from quantile centres. */
    private static double withinOneDimension(double[] sorted, int k) {
        int m = sorted.length;
        double[] c = new double[k];
        for (int l = 0; l < k; l++) {
            c[l] = sorted[(int) Math.min(m - 1, (long) ((l + 0.5) / k * m))];
        }
        double[] prefix = new double[m + 1];
        double[] prefix2 = new double[m + 1];
        for (int i = 0; i < m; i++) {
            prefix[i + 1] = prefix[i] + sorted[i];
            prefix2[i + 1] = prefix2[i] + sorted[i] * sorted[i];
        }
        double ss = 0;
        for (int iter = 0; iter < 100; iter++) {
            // On a line the clusters are runs between midpoints of adjacent centres (sorted).
            Arrays.sort(c);
            double[] next = new double[k];
            ss = 0;
            int from = 0;
            for (int l = 0; l < k; l++) {
                int to = l == k - 1 ? m : upper(sorted, (c[l] + c[l + 1]) / 2);
                to = Math.max(to, from);
                int cnt = to - from;
                if (cnt == 0) {
                    next[l] = c[l];
                } else {
                    double sum = prefix[to] - prefix[from];
                    next[l] = sum / cnt;
                    ss += prefix2[to] - prefix2[from] - sum * sum / cnt;
                }
                from = to;
            }
            if (Arrays.equals(next, c)) {
                break;
            }
            c = next;
        }
        return Math.max(0, ss);
    }

    /** The first index whose value exceeds v. */
    private static int upper(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] > v) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** The paper's weights from the within-cluster dispersions D. */
    static double[] weights(double[] dj, double beta) {
        int d = dj.length;
        double[] w = new double[d];
        double e = 1 / (beta - 1);
        for (int j = 0; j < d; j++) {
            if (dj[j] <= 0) {
                continue;
            }
            double sum = 0;
            for (int t = 0; t < d; t++) {
                if (dj[t] > 0) {
                    sum += Math.pow(dj[j] / dj[t], e);
                }
            }
            w[j] = 1 / sum;
        }
        return w;
    }

    private static float[] scales(double[] w, double beta) {
        float[] s = new float[w.length];
        for (int j = 0; j < w.length; j++) {
            s[j] = (float) Math.pow(w[j], beta / 2);
        }
        return s;
    }

    private static void scale(float[] x, float[] s, float[] out) {
        int d = s.length;
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] * s[i % d];
        }
    }

    /** The clusters' means in x's space (every cluster holds a row after Lloyd's iterations). */
    private static float[] means(KMeans.Points p, int[] labels, int k) {
        int d = p.d();
        double[] sums = new double[k * d];
        long[] counts = new long[k];
        for (int i = 0; i < p.n(); i++) {
            int l = labels[i];
            counts[l]++;
            for (int j = 0; j < d; j++) {
                sums[l * d + j] += p.x()[i * d + j];
            }
        }
        float[] c = new float[k * d];
        for (int l = 0; l < k; l++) {
            for (int j = 0; j < d; j++) {
                c[l * d + j] = (float) (sums[l * d + j] / Math.max(1, counts[l]));
            }
        }
        return c;
    }

    /** Dⱼ: the squared deviations from the own centre, per feature. */
    private static double[] within(KMeans.Points p, int[] labels, float[] centres) {
        int d = p.d();
        double[] dj = new double[d];
        for (int i = 0; i < p.n(); i++) {
            int co = labels[i] * d;
            for (int j = 0; j < d; j++) {
                double a = p.x()[i * d + j] - centres[co + j];
                dj[j] += a * a;
            }
        }
        return dj;
    }
}
