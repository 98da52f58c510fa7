package org.omomi.recommend;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Why one item scores what it does for one user, in two exact decompositions of
 * s = μ + b_u + b_i + ⟨u, q_i⟩:
 * <ul>
 * <li><b>by past item</b>: with u = Σ_j c_j·q_j + residual ({@link UserVector}),
 *     ⟨u, q_i⟩ = Σ_j c_j·⟨q_j, q_i⟩ + ⟨residual, q_i⟩ — the items the user had that pull this one
 *     up (or push it down), how much each;</li>
 * <li><b>by factor dimension</b>: ⟨u, q_i⟩ = Σ_k u_k·q_ik — which of the learned dimensions the
 *     match lies in.</li>
 * </ul>
 * Either way the parts add up to the score: {@link #sumByItems()} and {@link #sumByDimensions()}
 * equal {@link #score()} to float rounding (a test holds them to 1e-5). Parts are in double.
 *
 * @param score              the model's score (float arithmetic, as {@link Factors#scores})
 * @param pastItems          the user's past items j
 * @param itemContributions  c_j·⟨q_j, q_i⟩ per past item
 * @param residual           ⟨residual, q_i⟩
 * @param dimensions         u_k·q_ik per factor dimension
 */
public record Explanation(int item, double score, double global, double userBias, double itemBias, int[] pastItems,
                          double[] itemContributions, double residual, double[] dimensions) {

    /** Explains item i's score for a user vector. */
    public static Explanation of(Factors f, UserVector u, int item) {
        if (u.fallback()) {
            throw new IllegalArgumentException("a popularity fallback has no preference vector to explain; it ranks by interaction counts");
        }
        int d = f.dim();
        int at = item * d;
        double[] dims = new double[d];
        float dot = 0;
        for (int k = 0; k < d; k++) {
            dims[k] = (double) u.vector()[k] * f.items()[at + k];
            dot += u.vector()[k] * f.items()[at + k];
        }
        double[] parts = new double[u.items().length];
        for (int j = 0; j < parts.length; j++) {
            double s = 0;
            int pj = u.items()[j] * d;
            for (int k = 0; k < d; k++) {
                s += (double) f.items()[pj + k] * f.items()[at + k];
            }
            parts[j] = u.coefficients()[j] * s;
        }
        double res = 0;
        for (int k = 0; k < d; k++) {
            res += u.residual()[k] * f.items()[at + k];
        }
        float score = f.global() + u.bias() + f.itemBias()[item] + dot;
        return new Explanation(item, score, f.global(), u.bias(), f.itemBias()[item], u.items(), parts, res, dims);
    }

    /** μ + b_u + b_i + Σ item contributions + residual. */
    public double sumByItems() {
        return global + userBias + itemBias + Arrays.stream(itemContributions).sum() + residual;
    }

    /** μ + b_u + b_i + Σ dimensions. */
    public double sumByDimensions() {
        return global + userBias + itemBias + Arrays.stream(dimensions).sum();
    }

    /**
     * Positions (into {@link #pastItems()}) of the n largest contributions, largest first: the past
     * items that pull this item up the most ("because you had …").
     */
    public int[] topItems(int n) {
        return IntStream.range(0, itemContributions.length).boxed()
                .sorted(Comparator.comparingDouble((Integer j) -> -itemContributions[j]).thenComparingInt(j -> j))
                .limit(n).mapToInt(Integer::intValue).toArray();
    }

    /** The n dimensions with the largest parts by size, largest first. */
    public int[] topDimensions(int n) {
        return IntStream.range(0, dimensions.length).boxed()
                .sorted(Comparator.comparingDouble((Integer k) -> -Math.abs(dimensions[k])).thenComparingInt(k -> k))
                .limit(n).mapToInt(Integer::intValue).toArray();
    }
}
