package org.omomi.segment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.omomi.optim.Adam;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * Learning the distance from supervision, so that k-means in the learned space finds the groups
 * that matter rather than the strongest ones.
 *
 * <ul>
 * <li>{@link #nca}: Neighbourhood Components Analysis (Goldberger, Roweis, Hinton and
 *     Salakhutdinov 2004) from labelled customers. With pᵢⱼ = softmax over j ≠ i of
 *     −‖f(xᵢ) − f(xⱼ)‖², it maximises the expected leave-one-out accuracy of a stochastic
 *     nearest neighbour, Σᵢ Σ_{j: yⱼ = yᵢ} pᵢⱼ (scikit-learn's objective), for a linear or
 *     diagonal f that starts as the identity.</li>
 * <li>{@link #triplet}: a neural embedding from labelled customers with the triplet loss
 *     (Weinberger and Saul 2009; Schroff, Kalenichenko and Philbin 2015):
 *     mean of max(0, ‖f(a) − f(p)‖² − ‖f(a) − f(n)‖² + margin) over random triplets of an anchor,
 *     a customer of the same label and one of another.</li>
 * <li>{@link #contrastive}: any learnable metric from must-link / cannot-link pairs with the
 *     contrastive loss (Hadsell, Chopra and LeCun 2006): mean of d² for must-link pairs and
 *     max(0, margin − d)² for cannot-link ones, d = ‖f(a) − f(b)‖.</li>
 * </ul>
 * Every one is trained by {@link #descend}: Adam over seeded mini-batches, the only gradient
 * loop in this module.
 */
public final class MetricLearning {

    /**
     * @param steps     optimizer steps
     * @param batchSize rows (NCA), triplets or pairs per step
     * @param lr        Adam's learning rate
     * @param margin    the triplet or contrastive margin (unused by NCA)
     */
    public record Options(int steps, int batchSize, double lr, double margin) {
        public Options {
            if (steps < 1 || batchSize < 2 || !(lr > 0) || !(margin > 0)) {
                throw new IllegalArgumentException("metric learning: steps ≥ 1, batch size ≥ 2, lr > 0 and margin > 0 required, got steps="
                        + steps + ", batch=" + batchSize + ", lr=" + lr + ", margin=" + margin);
            }
        }

        /** NCA's defaults: 200 steps of 256 rows, lr 0.02. */
        public static Options nca() {
            return new Options(200, 256, 0.02, 1);
        }

        /** The triplet embedding's defaults: 600 steps of 256 triplets, lr 0.005, margin 1. */
        public static Options triplet() {
            return new Options(600, 256, 0.005, 1);
        }

        /** The contrastive loss's defaults: 600 steps of 256 pairs, lr 0.01, margin 1. */
        public static Options contrastive() {
            return new Options(600, 256, 0.01, 1);
        }

        public Options withSteps(int s) {
            return new Options(s, batchSize, lr, margin);
        }

        public Options withLr(double v) {
            return new Options(steps, batchSize, v, margin);
        }
    }

    /** Must-link / cannot-link pairs of row indices. */
    public record Pairs(int[] a, int[] b, boolean[] mustLink) {
        public Pairs {
            if (a.length != b.length || a.length != mustLink.length) {
                throw new IllegalArgumentException("pairs: a, b and mustLink must have the same length");
            }
            if (a.length == 0) {
                throw new IllegalArgumentException("no pairs to learn from");
            }
        }

        public int size() {
            return a.length;
        }

        /** The rows that appear in some pair, sorted. */
        public int[] rows() {
            return java.util.stream.IntStream.concat(Arrays.stream(a), Arrays.stream(b)).distinct().sorted().toArray();
        }
    }

    /**
     * The trace of NCA's metric M = AᵀA, held fixed: NCA's objective grows as A is scaled up (the
     * neighbourhoods sharpen) and then stops teaching, so the loss sees A·√(c / ‖A‖²_F) with
     * c = 1. At that scale a random pair of standardised customers is about √2 apart, the
     * neighbourhoods stay soft, and the only way to gain is to move weight onto the features that
     * separate the labels. (Our choice; Xing et al. 2002 fix the scale of their metric likewise.)
     */
    static final float NCA_TRACE = 1f;

    private MetricLearning() {}

    /** NCA on labelled rows x [n, d] with labels [n]: a linear (or diagonal) metric. */
    public static Metric nca(Tensor x, int[] labels, boolean diagonal, Options options, Rng rng) {
        checkLabels(x, labels);
        Metric m = diagonal ? Metric.diagonal(x.size(1)) : Metric.linear(x.size(1));
        int n = x.size(0);
        int b = Math.min(options.batchSize(), n);
        descend(m, options, rng, r -> {
            int[] rows = Arrays.copyOf(r.permutation(n), b);
            Tensor a = m.parameters().get(0);
            Tensor z = m.apply(x.indexSelect(0, rows)).div(a.mul(a).sum().div(NCA_TRACE).sqrt());
            return ncaLoss(z, pick(labels, rows));
        });
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            Tensor a = m.parameters().get(0);
            a.copyFrom(a.div(a.mul(a).sum().div(NCA_TRACE).sqrt()));
        }
        return m;
    }

    /** −(1/B) Σᵢ Σ_{j: yⱼ = yᵢ, j ≠ i} pᵢⱼ over one batch of embedded rows z [B, e]. */
    static Tensor ncaLoss(Tensor z, int[] y) {
        int b = y.length;
        float[] same = new float[b * b];
        float[] self = new float[b * b];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                same[i * b + j] = i != j && y[i] == y[j] ? 1f : 0f;
            }
            self[i * b + i] = -1e9f; // p_ii = 0
        }
        Tensor sq = z.mul(z).sum(1, true);
        Tensor d2 = sq.add(sq.t()).sub(z.matmul(z.t()).mul(2f));
        Tensor p = d2.neg().add(Tensor.wrap(self, b, b)).softmax(1);
        return p.mul(Tensor.wrap(same, b, b)).sum(1, false).mean().neg();
    }

    /** A neural embedding (an {@link Metric#mlp}) trained with the triplet loss on labelled rows. */
    public static Metric triplet(Tensor x, int[] labels, Options options, Rng rng) {
        checkLabels(x, labels);
        int[] y = Quality.relabel(labels);
        int classes = Arrays.stream(y).max().getAsInt() + 1;
        if (classes < 2) {
            throw new IllegalArgumentException("the triplet loss needs at least two labels, got one");
        }
        List<List<Integer>> members = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            members.add(new ArrayList<>());
        }
        for (int i = 0; i < y.length; i++) {
            members.get(y[i]).add(i);
        }
        Metric m = Metric.mlp(x.size(1), Metric.HIDDEN, Metric.EMBEDDING, rng.split());
        int n = x.size(0);
        int b = options.batchSize();
        float margin = (float) options.margin();
        descend(m, options, rng, r -> {
            int[] rows = new int[3 * b]; // anchors, then positives, then negatives
            for (int t = 0; t < b; t++) {
                int a = r.nextInt(n);
                List<Integer> same = members.get(y[a]);
                int p = same.get(r.nextInt(same.size()));
                if (same.size() > 1) {
                    while (p == a) {
                        p = same.get(r.nextInt(same.size()));
                    }
                }
                int q = r.nextInt(n);
                while (y[q] == y[a]) {
                    q = r.nextInt(n);
                }
                rows[t] = a;
                rows[b + t] = p;
                rows[2 * b + t] = q;
            }
            Tensor z = m.apply(x.indexSelect(0, rows));
            Tensor za = z.slice(0, 0, b);
            Tensor dap = squaredDistance(za, z.slice(0, b, 2 * b));
            Tensor dan = squaredDistance(za, z.slice(0, 2 * b, 3 * b));
            return dap.sub(dan).add(margin).relu().mean();
        });
        return m;
    }

    /** Trains {@code metric} (which must be learnable) on x [n, d] with the contrastive loss on pairs of its rows. */
    public static Metric contrastive(Metric metric, Tensor x, Pairs pairs, Options options, Rng rng) {
        if (metric.parameters().isEmpty()) {
            throw new IllegalArgumentException("the " + metric.kind() + " metric has nothing to learn");
        }
        for (int i = 0; i < pairs.size(); i++) {
            if (pairs.a()[i] < 0 || pairs.a()[i] >= x.size(0) || pairs.b()[i] < 0 || pairs.b()[i] >= x.size(0)) {
                throw new IllegalArgumentException("pair " + i + " names a row outside 0 … " + (x.size(0) - 1));
            }
        }
        int b = Math.min(options.batchSize(), pairs.size());
        float margin = (float) options.margin();
        descend(metric, options, rng, r -> {
            int[] chosen = Arrays.copyOf(r.permutation(pairs.size()), b);
            int[] rows = new int[2 * b];
            float[] must = new float[b];
            for (int t = 0; t < b; t++) {
                rows[t] = pairs.a()[chosen[t]];
                rows[b + t] = pairs.b()[chosen[t]];
                must[t] = pairs.mustLink()[chosen[t]] ? 1f : 0f;
            }
            Tensor z = metric.apply(x.indexSelect(0, rows));
            Tensor d2 = squaredDistance(z.slice(0, 0, b), z.slice(0, b, 2 * b));
            Tensor m = Tensor.wrap(must, b);
            Tensor pull = d2.mul(m);
            Tensor push = d2.add(1e-12f).sqrt().neg().add(margin).relu().pow(2f).mul(m.neg().add(1f));
            return pull.add(push).mean();
        });
        return metric;
    }

    /**
     * The gradient loop every learned metric trains with: for each step, a seeded mini-batch's
     * loss (forward), its gradient (backward) and one Adam step. This is the one place to move onto
     * a shared trainer.
     */
    static void descend(Metric metric, Options options, Rng rng, Function<Rng, Tensor> batchLoss) {
        Adam adam = new Adam(metric.parameters(), Adam.Options.adam().withLr(options.lr()));
        Rng batches = rng.split();
        for (int step = 0; step < options.steps(); step++) {
            adam.zeroGrad();
            Tensor loss = batchLoss.apply(batches);
            loss.backward();
            adam.step();
        }
    }

    /** ‖aᵢ − bᵢ‖² for each row: [B]. */
    private static Tensor squaredDistance(Tensor a, Tensor b) {
        Tensor diff = a.sub(b);
        return diff.mul(diff).sum(1, false);
    }

    private static int[] pick(int[] values, int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = values[rows[i]];
        }
        return out;
    }

    private static void checkLabels(Tensor x, int[] labels) {
        if (x.dim() != 2 || x.size(0) != labels.length) {
            throw new IllegalArgumentException("expected x [n, d] and n labels, got " + Arrays.toString(x.shape()) + " and " + labels.length);
        }
        if (labels.length < 2) {
            throw new IllegalArgumentException("metric learning needs at least 2 labelled rows, got " + labels.length);
        }
    }
}
