package org.omomi.recommend;

import java.util.Arrays;

/**
 * The weighted preference vector: a user's vector built, without a trained user embedding, from
 * the vectors of the items they interacted with,
 * <pre>
 * u = s · Σ_j w̃_j · q_j,   w̃_j = w_j / Σ_k w_k
 * </pre>
 * with the weights w_j of a {@link Weighting} (rating, recency with a half-life, learned
 * attention). A new user is served from their first few interactions without retraining
 * (fold-in, as item-based models have long done; cf. Kabbur, Ning and Karypis's FISM, KDD 2013),
 * and every score ⟨u, q_i⟩ + b_i splits exactly into the past items' parts
 * s·w̃_j·⟨q_j, q_i⟩ ({@link Explanation}).
 *
 * <p>The scale s puts the mean of item vectors on the scale of the trained user vectors, so that
 * the balance between taste and item bias (popularity) is the one training found: it is the
 * least-squares fit of the trained vectors on the training users' own weighted means,
 * s = Σ_u⟨p_u, m_u⟩ / Σ_u‖m_u‖² ({@link #calibrated}). With fewer than
 * {@link #MIN_INTERACTIONS} interactions there is no preference to speak of, and the popularity
 * fallback serves instead — and says so ({@link UserVector#fallback()}).
 */
public final class PreferenceVectors {

    /** Interactions a preference vector needs; with fewer, popularity serves. */
    public static final int MIN_INTERACTIONS = 2;

    /** A user's past interactions in time order: items, ratings, timestamps ({@link Interactions#NO_TIME} without). */
    public record History(int[] items, float[] ratings, long[] times) {
        public History {
            if (items.length != ratings.length || items.length != times.length) {
                throw new IllegalArgumentException("History: " + items.length + " items, " + ratings.length + " ratings, "
                        + times.length + " times");
            }
        }

        /** The interactions at these positions (already in time order). */
        public static History of(Interactions data, int[] rows) {
            int n = rows.length;
            int[] it = new int[n];
            float[] r = new float[n];
            long[] t = new long[n];
            for (int k = 0; k < n; k++) {
                it[k] = data.item(rows[k]);
                r[k] = data.rating(rows[k]);
                t[k] = data.time(rows[k]);
            }
            return new History(it, r, t);
        }

        /** Every user's training history (index = user), in time order. */
        public static History[] training(Interactions data, Split split) {
            int[][] byUser = data.byUser();
            History[] out = new History[byUser.length];
            for (int u = 0; u < byUser.length; u++) {
                out[u] = of(data, Arrays.stream(byUser[u]).filter(k -> split.label(k) == Split.TRAIN).toArray());
            }
            return out;
        }

        public int size() {
            return items.length;
        }

        /** The latest timestamp, or {@link Interactions#NO_TIME}. */
        public long latest() {
            long m = Interactions.NO_TIME;
            for (long t : times) {
                m = Math.max(m, t);
            }
            return m;
        }

        /** The first n interactions. */
        public History first(int n) {
            return new History(Arrays.copyOf(items, n), Arrays.copyOf(ratings, n), Arrays.copyOf(times, n));
        }
    }

    private final Factors factors;
    private final Weighting weighting;
    private final double halfLife;
    private final AttentionWeights attention;
    private final double scale;

    /**
     * @param halfLife  recency's half-life, in the timestamps' unit (seconds for MovieLens); a
     *                  history without timestamps counts interactions back instead, with a
     *                  half-life of {@link HalfLife#GAPS} interactions
     * @param attention the learned weights ({@link Weighting#ATTENTION} only; else null)
     * @param scale     s
     */
    public PreferenceVectors(Factors factors, Weighting weighting, double halfLife, AttentionWeights attention, double scale) {
        if (weighting == Weighting.RECENCY && !(halfLife > 0)) {
            throw new IllegalArgumentException("recency weighting needs a positive half-life, got " + halfLife);
        }
        if (weighting == Weighting.ATTENTION && attention == null) {
            throw new IllegalArgumentException("attention weighting needs learned weights (train them first)");
        }
        this.factors = factors;
        this.weighting = weighting;
        this.halfLife = halfLife;
        this.attention = attention;
        this.scale = scale;
    }

    /** With s fitted on the training users' trained vectors and histories (index = user). */
    public static PreferenceVectors calibrated(Factors f, Weighting w, double halfLife, AttentionWeights attention, History[] histories) {
        PreferenceVectors unscaled = new PreferenceVectors(f, w, halfLife, attention, 1.0);
        double num = 0;
        double den = 0;
        for (int u = 0; u < histories.length && u < f.userCount(); u++) {
            if (histories[u].size() < MIN_INTERACTIONS) {
                continue;
            }
            float[] m = unscaled.weighted(histories[u], Interactions.NO_TIME).vector();
            for (int k = 0; k < f.dim(); k++) {
                num += (double) f.users()[u * f.dim() + k] * m[k];
                den += (double) m[k] * m[k];
            }
        }
        return new PreferenceVectors(f, w, halfLife, attention, den > 0 && num > 0 ? num / den : 1.0);
    }

    public double scale() {
        return scale;
    }

    public Weighting weighting() {
        return weighting;
    }

    public double halfLife() {
        return halfLife;
    }

    /**
     * The normalized weights w̃ of a history; {@code now} is the time recency counts back from
     * ({@link Interactions#NO_TIME}: the history's latest).
     */
    public double[] weights(History h, long now) {
        int n = h.size();
        double[] w = new double[n];
        switch (weighting) {
            case UNIFORM:
                Arrays.fill(w, 1);
                break;
            case RATING:
                for (int j = 0; j < n; j++) {
                    if (!(h.ratings()[j] > 0)) {
                        throw new IllegalArgumentException("rating weights need positive ratings, got " + h.ratings()[j]);
                    }
                    w[j] = h.ratings()[j];
                }
                break;
            case RECENCY:
                long ref = now != Interactions.NO_TIME ? now : h.latest();
                for (int j = 0; j < n; j++) {
                    // Without timestamps age counts interactions back, and so does the half-life.
                    boolean timed = h.times()[j] != Interactions.NO_TIME;
                    double age = timed ? Math.max(0, ref - h.times()[j]) : n - 1 - j;
                    w[j] = Math.pow(2, -age / (timed ? halfLife : HalfLife.GAPS));
                }
                break;
            default:
                w = attention.weights(factors, h, now);
        }
        double sum = 0;
        for (double x : w) {
            sum += x;
        }
        if (!(sum > 0)) {
            Arrays.fill(w, 1); // every weight underflowed (a history far in the past): fall back to uniform
            sum = n;
        }
        for (int j = 0; j < n; j++) {
            w[j] /= sum;
        }
        return w;
    }

    /** The weighted preference vector of a history, or the popularity fallback below {@link #MIN_INTERACTIONS}. */
    public UserVector weighted(History h, long now) {
        int d = factors.dim();
        if (h.size() < MIN_INTERACTIONS) {
            return UserVector.popularity(d, h.items(), "popularity fallback: " + h.size() + " interaction" + (h.size() == 1 ? "" : "s")
                    + ", a preference vector needs at least " + MIN_INTERACTIONS);
        }
        double[] w = weights(h, now);
        double[] c = new double[w.length];
        double[] acc = new double[d];
        for (int j = 0; j < w.length; j++) {
            c[j] = scale * w[j];
            int at = h.items()[j] * d;
            for (int k = 0; k < d; k++) {
                acc[k] += c[j] * factors.items()[at + k];
            }
        }
        float[] u = new float[d];
        double[] residual = new double[d];
        for (int k = 0; k < d; k++) {
            u[k] = (float) acc[k];
            residual[k] = u[k] - acc[k]; // float rounding of the vector; kept so that explanations add up exactly
        }
        return new UserVector(u, 0f, h.items(), c, residual, describe(h.times()[0] != Interactions.NO_TIME), false);
    }

    private String describe(boolean timed) {
        switch (weighting) {
            case RECENCY: return "recency-weighted (half-life " + (timed ? HalfLife.format(halfLife)
                    : HalfLife.GAPS + " interactions") + ")";
            case RATING: return "rating-weighted";
            case ATTENTION: return "attention-weighted (learned)";
            default: return "uniform mean";
        }
    }

    /**
     * A trained user vector p_u split over the user's past items by ridge regression,
     * c = argmin ‖p_u − Σ c_j q_j‖² + λ‖c‖² = Q·(QᵀQ + λI)⁻¹·p_u with Q the past items' vectors as
     * rows and λ = 0.1·tr(QᵀQ)/d (a tenth of the mean eigenvalue: enough to keep near-duplicate items
     * from taking large opposite shares), so that explanations name the past items behind a
     * trained vector too; what they cannot account for is the residual.
     */
    public static UserVector trained(Factors f, int user, History h) {
        int d = f.dim();
        float[] p = f.user(user);
        int n = h.size();
        double[] c = new double[n];
        double[] residual = new double[d];
        for (int k = 0; k < d; k++) {
            residual[k] = p[k];
        }
        if (n > 0) {
            double[][] g = new double[d][d];
            for (int j = 0; j < n; j++) {
                int at = h.items()[j] * d;
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        g[a][b] += (double) f.items()[at + a] * f.items()[at + b];
                    }
                }
            }
            double trace = 0;
            for (int a = 0; a < d; a++) {
                trace += g[a][a];
            }
            double lambda = Math.max(0.1 * trace / d, 1e-12);
            for (int a = 0; a < d; a++) {
                g[a][a] += lambda;
            }
            double[] z = Cholesky.solve(g, toDouble(p));
            for (int j = 0; j < n; j++) {
                int at = h.items()[j] * d;
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += f.items()[at + k] * z[k];
                }
                c[j] = s;
                for (int k = 0; k < d; k++) {
                    residual[k] -= s * f.items()[at + k];
                }
            }
        }
        return new UserVector(p, f.userBias()[user], h.items(), c, residual, "trained", false);
    }

    private static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int k = 0; k < v.length; k++) {
            out[k] = v[k];
        }
        return out;
    }

    /** Scores of a user vector against the catalogue (popularity counts for the fallback). */
    public static float[] scores(Factors f, UserVector u, float[] popularity) {
        return u.fallback() ? popularity.clone() : f.scores(u.vector(), u.bias());
    }
}
