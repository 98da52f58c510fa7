package org.omomi.recommend;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.data.DataLoader;
import org.omomi.data.InputsDataset;
import org.omomi.nn.Module;
import org.omomi.optim.Adam;
import org.omomi.tensor.Inputs;
import org.omomi.tensor.IntTensor;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.train.Trainer;

/**
 * Learned attention-style weights for a preference vector: a softmax over the history,
 * <pre>
 * w_j ∝ exp(⟨a, q_j⟩ − γ·age_j/h + ρ·(r_j − r̄))
 * </pre>
 * with a query vector a [d] (which kinds of item speak for a user's taste), a decay γ per
 * half-life h of age (recency, learned), and a slope ρ on the rating's deviation from the user's
 * mean. It starts as recency weighting (a = 0, γ = ln 2, ρ = 0) and is fitted, with the item
 * vectors frozen, by {@link Trainer} on the BPR loss of predicting each training user's later
 * items from the ones before — what fold-in will do for a new user ({@link #learn}).
 */
public final class AttentionWeights {

    /** The longest history the weights look at (the latest ones). */
    public static final int MAX_HISTORY = 50;

    private final float[] query;
    private final float decay;
    private final float ratingSlope;
    private final double halfLife;

    public AttentionWeights(float[] query, float decay, float ratingSlope, double halfLife) {
        this.query = query.clone();
        this.decay = decay;
        this.ratingSlope = ratingSlope;
        this.halfLife = halfLife;
    }

    public float[] query() {
        return query.clone();
    }

    public float decay() {
        return decay;
    }

    public float ratingSlope() {
        return ratingSlope;
    }

    /** The raw weights exp(score − max) of a history (the latest {@link #MAX_HISTORY} only; older ones weigh 0). */
    double[] weights(Factors f, PreferenceVectors.History h, long now) {
        int n = h.size();
        double[] logit = new double[n];
        double mean = 0;
        for (float r : h.ratings()) {
            mean += r;
        }
        mean /= Math.max(1, n);
        long ref = now != Interactions.NO_TIME ? now : h.latest();
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            if (j < n - MAX_HISTORY) {
                logit[j] = Double.NEGATIVE_INFINITY;
                continue;
            }
            boolean timed = h.times()[j] != Interactions.NO_TIME;
            double age = timed ? Math.max(0, ref - h.times()[j]) / halfLife : (n - 1 - j) / (double) HalfLife.GAPS;
            logit[j] = f.dot(query, h.items()[j]) - decay * age + ratingSlope * (h.ratings()[j] - mean);
            max = Math.max(max, logit[j]);
        }
        double[] w = new double[n];
        for (int j = 0; j < n; j++) {
            w[j] = Math.exp(logit[j] - max);
        }
        return w;
    }

    // ------------------------------------------------------------------ learning

    /**
     * The pooling as a module, for the trainer: inputs {@code history} ids [N, L] (padded),
     * {@code mask} [N, L] (1 for a real entry), {@code age} [N, L] in half-lives, {@code rating}
     * [N, L] (centred per user), {@code item} ids [N, 1 + m]; output scores [N, 1 + m] =
     * s·⟨Σ_j α_j q_j, q_i⟩ + b_i. The item table and biases are constants; a, γ, ρ and s learn.
     */
    static final class Pooling extends Module {
        private final Tensor items;
        private final Tensor bias;
        private final Tensor query;
        private final Tensor decay;
        private final Tensor slope;
        private final Tensor scale;

        Pooling(Factors f, double scale) {
            this.items = Tensor.of(f.items(), f.itemCount(), f.dim());
            this.bias = Tensor.of(f.itemBias(), f.itemCount(), 1);
            this.query = parameter("query", Tensor.zeros(f.dim()));
            this.decay = parameter("decay", Tensor.full((float) Math.log(2), 1));
            this.slope = parameter("rating_slope", Tensor.zeros(1));
            this.scale = parameter("scale", Tensor.full((float) scale, 1));
        }

        @Override
        public Tensor forward(Tensor input) {
            throw new IllegalArgumentException("attention pooling takes named inputs: history, mask, age, rating, item");
        }

        @Override
        public Tensor forward(Inputs in) {
            Tensor hist = Tensor.embedding(in.ids("history"), items, false);              // [N, L, d]
            Tensor logits = hist.mul(query).sum(2, false)                                   // [N, L]
                    .sub(in.tensor("age").mul(decay))
                    .add(in.tensor("rating").mul(slope))
                    .add(in.tensor("mask").sub(1f).mul(1e4f));                              // padding → −10⁴
            Tensor alpha = logits.softmax(1);
            Tensor pooled = alpha.unsqueeze(2).mul(hist).sum(1, true).mul(scale);          // [N, 1, d]
            Tensor cand = Tensor.embedding(in.ids("item"), items, false);                  // [N, k, d]
            Tensor b = Tensor.embedding(in.ids("item"), bias, false);                      // [N, k, 1]
            return pooled.mul(cand).sum(2, true).add(b).flatten(1);
        }
    }

    /**
     * Fits the weights on the training users: for each of their last {@code targets} training
     * interactions (at least the third), the history before it predicts it against 4 sampled
     * negatives. {@code scale} is the uniform weighting's calibrated s (the start).
     */
    public static AttentionWeights learn(Factors f, Interactions data, Split split, double halfLife, double scale, int epochs, long seed)
            throws IOException {
        PreferenceVectors.History[] histories = PreferenceVectors.History.training(data, split);
        int[][] owned = data.itemsByUser();
        int negatives = 4;
        int targets = 5;
        List<int[]> hist = new ArrayList<>();
        List<float[]> ages = new ArrayList<>();
        List<float[]> ratings = new ArrayList<>();
        List<int[]> cands = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        Rng rng = new Rng(seed);
        for (int u = 0; u < histories.length; u++) {
            PreferenceVectors.History h = histories[u];
            for (int t = Math.max(2, h.size() - targets); t < h.size(); t++) {
                int from = Math.max(0, t - MAX_HISTORY);
                int[] ids = new int[MAX_HISTORY];
                float[] age = new float[MAX_HISTORY];
                float[] rate = new float[MAX_HISTORY];
                double mean = 0;
                for (int j = from; j < t; j++) {
                    mean += h.ratings()[j];
                }
                mean /= t - from;
                long ref = h.times()[t - 1];
                for (int j = from; j < t; j++) {
                    ids[j - from] = h.items()[j];
                    age[j - from] = (float) (h.times()[j] == Interactions.NO_TIME ? (t - 1 - j) / (double) HalfLife.GAPS
                            : (ref - h.times()[j]) / halfLife);
                    rate[j - from] = (float) (h.ratings()[j] - mean);
                }
                int[] c = new int[1 + negatives];
                c[0] = h.items()[t];
                for (int k = 1; k <= negatives; k++) {
                    int j = rng.nextInt(data.itemCount());
                    for (int tries = 0; tries < 64 && java.util.Arrays.binarySearch(owned[u], j) >= 0; tries++) {
                        j = rng.nextInt(data.itemCount());
                    }
                    c[k] = j;
                }
                hist.add(ids);
                ages.add(age);
                ratings.add(rate);
                cands.add(c);
                lengths.add(t - from); // the mask is 1 for the real entries
            }
        }
        if (hist.isEmpty()) {
            throw new IllegalArgumentException("attention weights need users with at least three training interactions");
        }
        int n = hist.size();
        int[] hi = new int[n * MAX_HISTORY];
        float[] mask = new float[n * MAX_HISTORY];
        float[] ag = new float[n * MAX_HISTORY];
        float[] ra = new float[n * MAX_HISTORY];
        int[] ci = new int[n * (1 + negatives)];
        for (int e = 0; e < n; e++) {
            System.arraycopy(hist.get(e), 0, hi, e * MAX_HISTORY, MAX_HISTORY);
            System.arraycopy(ages.get(e), 0, ag, e * MAX_HISTORY, MAX_HISTORY);
            System.arraycopy(ratings.get(e), 0, ra, e * MAX_HISTORY, MAX_HISTORY);
            for (int j = 0; j < lengths.get(e); j++) {
                mask[e * MAX_HISTORY + j] = 1f;
            }
            System.arraycopy(cands.get(e), 0, ci, e * (1 + negatives), 1 + negatives);
        }
        Inputs in = Inputs.of("history", IntTensor.of(hi, n, MAX_HISTORY)).with("mask", Tensor.wrap(mask, n, MAX_HISTORY))
                .with("age", Tensor.wrap(ag, n, MAX_HISTORY)).with("rating", Tensor.wrap(ra, n, MAX_HISTORY))
                .with("item", IntTensor.of(ci, n, 1 + negatives));
        Pooling model = new Pooling(f, scale);
        Trainer trainer = new Trainer(model, new BprObjective(new RowL2(model, List.of(), 0)),
                new Adam(model.parameters(), Adam.Options.adam().withLr(0.02)), Trainer.Options.of(epochs, 256, seed), null);
        trainer.fit(new DataLoader(new InputsDataset(in, null), 256, true, seed), null, null);
        return new AttentionWeights(model.query.toArray(), model.decay.item(), model.slope.item(), halfLife);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> q = new ArrayList<>();
        for (float v : query) {
            q.add((double) v);
        }
        m.put("query", q);
        m.put("decay_per_half_life", (double) decay);
        m.put("rating_slope", (double) ratingSlope);
        m.put("half_life", halfLife);
        return m;
    }

    public static AttentionWeights fromJson(Map<String, Object> m) {
        if (!(m.get("query") instanceof List<?> q) || !(m.get("decay_per_half_life") instanceof Number d)
                || !(m.get("rating_slope") instanceof Number r) || !(m.get("half_life") instanceof Number h)) {
            throw new IllegalArgumentException("attention weights need 'query', 'decay_per_half_life', 'rating_slope' and 'half_life'");
        }
        float[] query = new float[q.size()];
        for (int k = 0; k < query.length; k++) {
            if (!(q.get(k) instanceof Number n)) {
                throw new IllegalArgumentException("'query'[" + k + "] must be a number");
            }
            query[k] = n.floatValue();
        }
        return new AttentionWeights(query, d.floatValue(), r.floatValue(), h.doubleValue());
    }
}
