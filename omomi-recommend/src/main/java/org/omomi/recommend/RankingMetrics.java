package org.omomi.recommend;

import org.omomi.tensor.Tensor;
import org.omomi.train.Metric;

/**
 * Hit rate and NDCG at k of one held-out item, given how many candidates outscore it.
 *
 * <p>With {@code above} candidates scoring higher than the held-out item and {@code tied} scoring
 * the same, its rank (from 0) is {@code above} + a uniform draw from 0…tied when ties are broken
 * at random. The figures here are the expectations over that draw, computed exactly, so a scorer
 * that gives everything the same score (a constant, popularity among unseen items) gets what a
 * random order would give it instead of a lucky or an unlucky rank:
 * <pre>
 * HR@k   = P(rank &lt; k)                  (a hit: the item is in the top k)
 * NDCG@k = E[1/log₂(rank + 2); rank &lt; k]  (one relevant item: the ideal DCG is 1)
 * </pre>
 */
public final class RankingMetrics {

    private RankingMetrics() {}

    /** P(rank &lt; k) for a rank uniform on above…above + tied. */
    public static double hit(int above, int tied, int k) {
        if (above >= k) {
            return 0;
        }
        return Math.min(1.0, (double) (k - above) / (tied + 1));
    }

    /** E[1/log₂(rank + 2) if rank &lt; k, else 0] for a rank uniform on above…above + tied. */
    public static double ndcg(int above, int tied, int k) {
        double s = 0;
        for (int r = above; r <= above + tied && r < k; r++) {
            s += 1.0 / (Math.log(r + 2) / Math.log(2));
        }
        return s / (tied + 1);
    }

    /**
     * The sampled protocol's metric as a training {@link Metric}: outputs [N, 1 + m] score each
     * user's held-out item (column 0) against m sampled negatives; the mean hit rate (or NDCG) at
     * k. Registered with {@code Trainer.withMetrics}, it is the validation figure of every epoch.
     */
    public static Metric sampled(String name, int k, boolean ndcg) {
        return Metric.of(name, (Tensor outputs, Tensor targets) -> {
            float[] s = outputs.toArray();
            int n = outputs.size(0);
            int w = outputs.size(1);
            double sum = 0;
            for (int r = 0; r < n; r++) {
                float target = s[r * w];
                int above = 0;
                int tied = 0;
                for (int j = 1; j < w; j++) {
                    float v = s[r * w + j];
                    if (v > target) {
                        above++;
                    } else if (v == target) {
                        tied++;
                    }
                }
                sum += ndcg ? ndcg(above, tied, k) : hit(above, tied, k);
            }
            return sum / n;
        });
    }
}
