package org.omomi.recommend;

/**
 * A user's preference vector, and what it is made of: u = Σ_j c_j·q_j + residual over the items
 * j the user had, so that every score ⟨u, q_i⟩ splits into one part per past item,
 * c_j·⟨q_j, q_i⟩, and the residual's ⟨residual, q_i⟩ ({@link Explanation}).
 *
 * <p>A weighted preference vector ({@link PreferenceVectors#weighted}) is exactly such a
 * combination (residual zero up to rounding). A trained user vector is decomposed by ridge
 * regression on the user's items ({@link PreferenceVectors#trained}); the residual is the part
 * of the taste the history does not account for. The popularity fallback has no vector at all
 * ({@link #fallback()}).
 *
 * @param vector       u [d], the vector scored against the items (zeros for the fallback)
 * @param bias         the user bias b_u (matrix factorization; 0 otherwise and for folded-in users)
 * @param items        the past items j
 * @param coefficients c_j, each past item's share of the vector
 * @param residual     u − Σ c_j·q_j [d], in double
 * @param source       how the vector was made, for people: "trained", "recency (half-life 3 days)", …
 * @param fallback     true when there is no preference vector and popularity ranks instead
 */
public record UserVector(float[] vector, float bias, int[] items, double[] coefficients, double[] residual, String source,
                         boolean fallback) {

    /** The popularity fallback, with the reason in {@code source}. */
    static UserVector popularity(int dim, int[] items, String why) {
        return new UserVector(new float[dim], 0f, items, new double[items.length], new double[dim], why, true);
    }
}
