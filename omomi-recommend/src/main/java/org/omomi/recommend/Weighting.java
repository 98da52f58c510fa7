package org.omomi.recommend;

import java.util.Locale;

/**
 * How much each past interaction counts in a weighted preference vector
 * ({@link PreferenceVectors}): raw weights w_j, normalized to sum to 1 afterwards.
 *
 * <ul>
 * <li>{@link #UNIFORM}: w_j = 1 — the plain mean of the item vectors.</li>
 * <li>{@link #RATING}: w_j = r_j, the rating (a 5 counts five times a 1; implicit data: uniform).
 *     Ratings must be positive.</li>
 * <li>{@link #RECENCY}: w_j = 2^(−(t_now − t_j)/h), exponential time decay with half-life h:
 *     an interaction h ago counts half as much as one now (t_now is the user's latest
 *     interaction, or the time given).</li>
 * <li>{@link #ATTENTION}: w_j = exp(a_j) with learned scores a_j ({@link AttentionWeights}) — a
 *     softmax over the history, as attention pools a sequence.</li>
 * </ul>
 */
public enum Weighting {
    UNIFORM, RATING, RECENCY, ATTENTION;

    /** {@code uniform}, {@code rating}, {@code recency} or {@code attention}. */
    public static Weighting parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown weighting '" + name + "'; use uniform, rating, recency or attention");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
