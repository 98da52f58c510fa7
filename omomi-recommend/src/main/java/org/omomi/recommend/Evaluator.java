package org.omomi.recommend;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.omomi.kernel.Parallel;
import org.omomi.tensor.Rng;

/**
 * Ranking metrics on a split's test interactions, for any scorer, with the same candidates for
 * every scorer so that figures side by side compare like with like.
 *
 * <ul>
 * <li><b>Full catalogue</b> (the primary figures): a held-out item is ranked against every item
 *     the user has not interacted with in training or validation. {@code hr@k} and {@code ndcg@k}
 *     rank each held-out item without the user's other held-out items; {@code recall@k} is the
 *     share of the user's held-out items in their top k. With one held-out item per user
 *     (leave-one-out) recall@k equals hr@k.</li>
 * <li><b>Sampled</b> ({@code hr@k_sampled}, {@code ndcg@k_sampled}): against 100 items drawn from
 *     those the user never had (He et al., NCF, WWW 2017). Printed beside, never instead: Krichene
 *     and Rendle (KDD 2020) show sampled metrics can order models differently from full ones.</li>
 * <li>{@code coverage@k}: the share of the catalogue that appears in some user's top k.</li>
 * </ul>
 * Ties are broken at random, in expectation ({@link RankingMetrics}). Users are the unit: each
 * user's figure is the mean over their held-out items, and the reported figure the mean over
 * users who have one.
 */
public final class Evaluator {

    /** Scores of every item of the catalogue for one user; may be called from several threads at once. */
    @FunctionalInterface
    public interface Scorer {
        float[] scores(int user);
    }

    private final int itemCount;
    private final int[] testUsers;
    private final int[][] heldOut;   // per test user, their test items
    private final int[][] excluded;  // per test user, sorted train + validation items
    private final int[][][] sampled; // per test user, per held-out item: target then 100 negatives
    private final int k;

    /** Candidates for the split's test interactions; {@code seed} draws the sampled negatives. */
    public Evaluator(Interactions data, Split split, int k, long seed) {
        this.itemCount = data.itemCount();
        this.k = k;
        int[][] all = data.itemsByUser();
        int[][] rows = data.byUser();
        int count = 0;
        for (int[] r : rows) {
            if (Arrays.stream(r).anyMatch(x -> split.label(x) == Split.TEST)) {
                count++;
            }
        }
        testUsers = new int[count];
        heldOut = new int[count][];
        excluded = new int[count][];
        sampled = new int[count][][];
        int t = 0;
        for (int u = 0; u < rows.length; u++) {
            int[] tests = Arrays.stream(rows[u]).filter(x -> split.label(x) == Split.TEST).map(data::item).toArray();
            if (tests.length == 0) {
                continue;
            }
            testUsers[t] = u;
            heldOut[t] = tests;
            excluded[t] = Arrays.stream(rows[u]).filter(x -> split.label(x) != Split.TEST).map(data::item).sorted().toArray();
            sampled[t] = new int[tests.length][];
            for (int j = 0; j < tests.length; j++) {
                sampled[t][j] = Candidates.sampled(tests[j], all[u], itemCount, Training.SAMPLED_NEGATIVES, seed + j, u);
            }
            t++;
        }
    }

    /** Users with a held-out item. */
    public int users() {
        return testUsers.length;
    }

    /** The users scored, in order. */
    public int[] testUsers() {
        return testUsers.clone();
    }

    /** hr@k, ndcg@k, recall@k, hr@k_sampled, ndcg@k_sampled and coverage@k of a scorer. */
    public Map<String, Double> evaluate(Scorer scorer) {
        int n = testUsers.length;
        double[][] per = new double[n][5];
        boolean[][] inTop = new boolean[n][];
        Parallel.forRange(n, 8, (from, to) -> {
            for (int t = from; t < to; t++) {
                float[] s = scorer.scores(testUsers[t]);
                per[t] = user(t, s);
                inTop[t] = topMask(t, s);
            }
        });
        double[] sum = new double[5];
        for (double[] p : per) {
            for (int j = 0; j < 5; j++) {
                sum[j] += p[j];
            }
        }
        boolean[] covered = new boolean[itemCount];
        for (boolean[] m : inTop) {
            for (int i = 0; i < itemCount; i++) {
                covered[i] |= m[i];
            }
        }
        int c = 0;
        for (boolean b : covered) {
            c += b ? 1 : 0;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("hr@" + k, sum[0] / n);
        out.put("ndcg@" + k, sum[1] / n);
        out.put("recall@" + k, sum[2] / n);
        out.put("hr@" + k + "_sampled", sum[3] / n);
        out.put("ndcg@" + k + "_sampled", sum[4] / n);
        out.put("coverage@" + k, (double) c / itemCount);
        return out;
    }

    /** One user's hr, ndcg, recall, sampled hr, sampled ndcg. */
    private double[] user(int t, float[] s) {
        int[] tests = heldOut[t];
        int[] ex = excluded[t];
        double hr = 0;
        double nd = 0;
        double rec = 0;
        double shr = 0;
        double snd = 0;
        for (int j = 0; j < tests.length; j++) {
            float target = s[tests[j]];
            int above = 0;
            int tied = 0;
            int aboveTests = 0;
            int tiedTests = 0;
            int e = 0;
            for (int i = 0; i < itemCount; i++) {
                if (e < ex.length && ex[e] == i) {
                    e++;
                    continue;
                }
                if (i == tests[j]) {
                    continue;
                }
                boolean otherTest = tests.length > 1 && contains(tests, i);
                if (s[i] > target) {
                    above++;
                    aboveTests += otherTest ? 1 : 0;
                } else if (s[i] == target) {
                    tied++;
                    tiedTests += otherTest ? 1 : 0;
                }
            }
            hr += RankingMetrics.hit(above - aboveTests, tied - tiedTests, k);
            nd += RankingMetrics.ndcg(above - aboveTests, tied - tiedTests, k);
            rec += RankingMetrics.hit(above, tied, k);
            int[] c = sampled[t][j];
            int sa = 0;
            int st = 0;
            for (int q = 1; q < c.length; q++) {
                if (s[c[q]] > target) {
                    sa++;
                } else if (s[c[q]] == target) {
                    st++;
                }
            }
            shr += RankingMetrics.hit(sa, st, k);
            snd += RankingMetrics.ndcg(sa, st, k);
        }
        int m = tests.length;
        return new double[] {hr / m, nd / m, rec / m, shr / m, snd / m};
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    /** The user's top k among items they have not had in training or validation (ties by lower index). */
    private boolean[] topMask(int t, float[] s) {
        boolean[] mask = new boolean[itemCount];
        for (int i : Ranking.top(s, k, excluded[t])) {
            mask[i] = true;
        }
        return mask;
    }

    /** RMSE of predicted ratings on the test interactions (explicit data). */
    public static double rmse(Factors f, Interactions data, Split split) {
        int[] rows = split.test();
        double s = 0;
        for (int r : rows) {
            int u = data.user(r);
            int i = data.item(r);
            double pred = f.global() + f.userBias()[u] + f.itemBias()[i] + f.dot(f.user(u), i);
            double e = pred - data.rating(r);
            s += e * e;
        }
        return Math.sqrt(s / rows.length);
    }

    // ------------------------------------------------------------------ baselines

    /** Popularity: every user gets the items with the most training interactions first. */
    public static Scorer popularity(Interactions data, Split split) {
        float[] counts = new float[data.itemCount()];
        for (int r : split.train()) {
            counts[data.item(r)]++;
        }
        return u -> counts;
    }

    /** Scores drawn at random (from a generator of the seed and the user): the sanity check of the candidate sets. */
    public static Scorer random(int itemCount, long seed) {
        return u -> {
            Rng r = new Rng(Split.mix(seed, u));
            float[] s = new float[itemCount];
            for (int i = 0; i < itemCount; i++) {
                s[i] = r.nextFloat();
            }
            return s;
        };
    }

    /** A trained model's own user vectors. */
    public static Scorer of(Factors f) {
        return f::scores;
    }
}
