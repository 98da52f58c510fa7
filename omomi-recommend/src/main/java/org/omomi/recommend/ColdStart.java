package org.omomi.recommend;

import java.util.Arrays;
import java.util.List;

/**
 * How well folding in serves users the model never trained on: each new user's latest
 * interaction is held out, the ones before it become a weighted preference vector
 * ({@link PreferenceVectors}), and the held-out item is ranked against every item they have not
 * had — beside the popularity ranking of the same candidates. Hit rate and NDCG at k, ties broken
 * at random in expectation ({@link RankingMetrics}).
 */
public final class ColdStart {

    /**
     * The figures over the users scored.
     *
     * @param fallbacks users served by the popularity fallback (too few interactions)
     */
    public record Result(int users, double hitRate, double ndcg, double popularityHitRate, double popularityNdcg, int fallbacks) {}

    private ColdStart() {}

    /**
     * Scores every history with at least {@code minInteractions} interactions (the held-out one
     * included); {@code popularity} is the training interaction count per item.
     */
    public static Result evaluate(Factors f, PreferenceVectors vectors, float[] popularity, List<PreferenceVectors.History> histories,
                                  int minInteractions, int k) {
        int n = 0;
        int fallbacks = 0;
        double hr = 0;
        double nd = 0;
        double phr = 0;
        double pnd = 0;
        for (PreferenceVectors.History h : histories) {
            if (h.size() < Math.max(2, minInteractions)) {
                continue;
            }
            PreferenceVectors.History past = h.first(h.size() - 1);
            int target = h.items()[h.size() - 1];
            UserVector v = vectors.weighted(past, Interactions.NO_TIME);
            fallbacks += v.fallback() ? 1 : 0;
            int[] seen = past.items().clone();
            Arrays.sort(seen);
            int[] r = rank(PreferenceVectors.scores(f, v, popularity), target, seen);
            int[] p = rank(popularity, target, seen);
            hr += RankingMetrics.hit(r[0], r[1], k);
            nd += RankingMetrics.ndcg(r[0], r[1], k);
            phr += RankingMetrics.hit(p[0], p[1], k);
            pnd += RankingMetrics.ndcg(p[0], p[1], k);
            n++;
        }
        if (n == 0) {
            throw new IllegalArgumentException("no new user has " + Math.max(2, minInteractions) + " interactions to fold in and hold out");
        }
        return new Result(n, hr / n, nd / n, phr / n, pnd / n, fallbacks);
    }

    /** {above, tied} for the target among the items not seen (the target itself left out). */
    private static int[] rank(float[] s, int target, int[] seen) {
        int above = 0;
        int tied = 0;
        for (int i = 0; i < s.length; i++) {
            if (i == target || Arrays.binarySearch(seen, i) >= 0) {
                continue;
            }
            if (s[i] > s[target]) {
                above++;
            } else if (s[i] == s[target]) {
                tied++;
            }
        }
        return new int[] {above, tied};
    }
}
