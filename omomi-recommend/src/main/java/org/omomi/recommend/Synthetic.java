package org.omomi.recommend;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.omomi.io.AtomicFile;
import org.omomi.kernel.Parallel;
import org.omomi.tensor.Rng;

/**
 * Interactions generated from planted low-rank factors, so a test knows the truth a model should
 * find. Items fall into {@code groups} (the planted groups a projection plot colours); item i's
 * factor vector is its group's centroid plus noise, v_i = c_g + σ_v·ε, in {@code rank}
 * dimensions; each user leans to one or two groups, p_u = c_a (+ c_b) + σ_p·ε. A user picks
 * items one after another, without repeats, with probability
 * <pre>
 * P(i | u) ∝ exp(β·⟨p_u, v_i⟩/√rank − α·ln(pop_rank_i))
 * </pre>
 * — taste plus a Zipf popularity skew (item popularity ranks are a random permutation). Each
 * pick gets a timestamp after the one before (gaps exponential, mean one day, from a start in a
 * six-month window), so the file has a time order. With {@code drift} > 0 a user's taste moves
 * from p_u towards another group's p'_u over their history (in four phases), so their latest
 * interactions say more about what comes next than their first: what recency weighting is for.
 *
 * <p>With {@code explicit}, each pick also gets a rating r = 3.5 + b_u + b_i + ⟨p_u, v_i⟩/rank + ε,
 * b ~ N(0, 0.3²), ε ~ N(0, noise²): the noise is the RMSE a perfect model would reach.
 *
 * <p>The same options and seed give the same data (users are generated independently, each from
 * a generator of the seed and the user, so threads cannot change a result).
 */
public final class Synthetic {

    /**
     * What to generate.
     *
     * @param perUser    mean interactions per user (log-normal spread, at least 5, at most half the items)
     * @param beta       taste strength β
     * @param popularity Zipf exponent α of the popularity skew
     * @param drift      0 (steady tastes) to 1 (a user ends on another taste entirely)
     * @param noise      the rating noise σ (explicit only)
     */
    public record Options(int users, int items, long seed, int rank, int groups, int perUser, double beta, double popularity,
                          double drift, boolean explicit, double noise) {
        public Options {
            if (users < 1 || items < 10 || rank < 1 || groups < 1 || groups > items || perUser < 1) {
                throw new IllegalArgumentException("generate: users ≥ 1, items ≥ 10, rank ≥ 1, 1 ≤ groups ≤ items, per-user ≥ 1");
            }
            if (!(beta >= 0) || !(popularity >= 0) || !(drift >= 0 && drift <= 1) || !(noise >= 0)) {
                throw new IllegalArgumentException("generate: beta, popularity and noise must be ≥ 0, drift in [0, 1]");
            }
        }

        /** 8 dimensions, 8 groups, 40 interactions per user, β 3, α 0.8, no drift, implicit. */
        public static Options of(int users, int items, long seed) {
            return new Options(users, items, seed, 8, 8, 40, 3.0, 0.8, 0, false, 0.5);
        }

        public Options withRank(int v) {
            return new Options(users, items, seed, v, groups, perUser, beta, popularity, drift, explicit, noise);
        }

        public Options withGroups(int v) {
            return new Options(users, items, seed, rank, v, perUser, beta, popularity, drift, explicit, noise);
        }

        public Options withPerUser(int v) {
            return new Options(users, items, seed, rank, groups, v, beta, popularity, drift, explicit, noise);
        }

        public Options withBeta(double v) {
            return new Options(users, items, seed, rank, groups, perUser, v, popularity, drift, explicit, noise);
        }

        public Options withPopularity(double v) {
            return new Options(users, items, seed, rank, groups, perUser, beta, v, drift, explicit, noise);
        }

        public Options withDrift(double v) {
            return new Options(users, items, seed, rank, groups, perUser, beta, popularity, v, explicit, noise);
        }

        /** Explicit ratings with noise σ. */
        public Options withRatings(double noise) {
            return new Options(users, items, seed, rank, groups, perUser, beta, popularity, drift, true, noise);
        }
    }

    /**
     * Generated data and the truth behind it.
     *
     * @param itemGroup      planted group of each item (index = item id − 1)
     * @param itemFactors    v_i, [items][rank]
     * @param userFactors    p_u at the start, [users][rank]
     * @param userEndFactors p'_u, where drift ends ([users][rank]; equal to p_u without drift)
     * @param popularityRank each item's popularity rank, 1 = most popular
     */
    public record Data(Options options, Interactions interactions, int[] itemGroup, float[][] itemFactors, float[][] userFactors,
                       float[][] userEndFactors, int[] popularityRank) {}

    private static final long START = 1_600_000_000L; // 2020-09-13, seconds since 1970
    private static final double DAY = 86_400;
    private static final int PHASES = 4;

    private Synthetic() {}

    /** Generates the data (users in parallel; the result does not depend on the thread count). */
    public static Data generate(Options o) {
        Rng rng = new Rng(o.seed());
        float[][] centroids = gaussian(rng.split(), o.groups(), o.rank(), 1f);
        int[] group = new int[o.items()];
        float[][] v = new float[o.items()][];
        Rng itemRng = rng.split();
        for (int i = 0; i < o.items(); i++) {
            group[i] = i < o.groups() ? i : itemRng.nextInt(o.groups()); // every group has an item
            v[i] = noisy(centroids[group[i]], 0.5f, itemRng);
        }
        int[] popRank = new int[o.items()];
        int[] perm = rng.split().permutation(o.items());
        for (int r = 0; r < perm.length; r++) {
            popRank[perm[r]] = r + 1;
        }
        float[] itemBias = new float[o.items()];
        Rng biasRng = rng.split();
        for (int i = 0; i < o.items(); i++) {
            itemBias[i] = (float) (0.3 * biasRng.nextGaussian());
        }
        float[] logPop = new float[o.items()];
        for (int i = 0; i < o.items(); i++) {
            logPop[i] = (float) (-o.popularity() * Math.log(popRank[i]));
        }
        long userSeed = rng.nextLong();
        float[][] p = new float[o.users()][];
        float[][] pEnd = new float[o.users()][];
        int[][] picked = new int[o.users()][];
        long[][] times = new long[o.users()][];
        float[][] ratings = new float[o.users()][];
        float[] flat = flatten(v, o.rank());
        float[][] columns = new float[o.rank()][o.items()];
        for (int i = 0; i < o.items(); i++) {
            for (int k = 0; k < o.rank(); k++) {
                columns[k][i] = v[i][k];
            }
        }
        Parallel.forRange(o.users(), 16, (from, to) -> {
            double[] w = new double[o.items()];
            float[] affinity = new float[o.items()];
            for (int u = from; u < to; u++) {
                Rng r = new Rng(Split.mix(userSeed, u));
                int a = r.nextInt(o.groups());
                float[] taste = noisy(centroids[a], 0.3f, r);
                if (r.nextDouble() < 0.5) { // a second group, half the time
                    float[] b = centroids[r.nextInt(o.groups())];
                    for (int k = 0; k < taste.length; k++) {
                        taste[k] = 0.75f * (taste[k] + b[k]);
                    }
                }
                float[] end = taste;
                if (o.drift() > 0) {
                    end = noisy(centroids[(a + 1 + r.nextInt(Math.max(1, o.groups() - 1))) % o.groups()], 0.3f, r);
                }
                int n = (int) Math.round(o.perUser() * Math.exp(0.5 * r.nextGaussian() - 0.125));
                n = Math.max(5, Math.min(n, o.items() / 2));
                int[] chosen = new int[n];
                boolean[] taken = new boolean[o.items()];
                int phases = o.drift() > 0 ? PHASES : 1;
                int at = 0;
                float[] current = new float[o.rank()];
                float[] rate = new float[n];
                float userBias = (float) (0.3 * r.nextGaussian());
                for (int q = 0; q < phases; q++) {
                    double t = phases == 1 ? 0 : o.drift() * q / (phases - 1);
                    for (int k = 0; k < current.length; k++) {
                        current[k] = (float) ((1 - t) * taste[k] + t * end[k]);
                    }
                    int upTo = (int) ((long) n * (q + 1) / phases);
                    // Column by column over the transposed factors: a loop the JIT vectorizes.
                    Arrays.fill(affinity, 0f);
                    for (int k = 0; k < columns.length; k++) {
                        float c = current[k];
                        float[] col = columns[k];
                        for (int i = 0; i < affinity.length; i++) {
                            affinity[i] += c * col[i];
                        }
                    }
                    double scale = o.beta() / Math.sqrt(o.rank());
                    for (int i = 0; i < w.length; i++) {
                        w[i] = scale * affinity[i] + logPop[i];
                    }
                    at = draw(w, taken, chosen, at, upTo, r);
                    if (o.explicit()) {
                        for (int j = (int) ((long) n * q / phases); j < upTo; j++) {
                            int i = chosen[j];
                            double s = 0;
                            for (int k = 0; k < o.rank(); k++) {
                                s += current[k] * flat[i * o.rank() + k];
                            }
                            rate[j] = (float) (3.5 + userBias + itemBias[i] + s / o.rank() + o.noise() * r.nextGaussian());
                        }
                    }
                }
                long[] ts = new long[n];
                double clock = START + r.nextDouble() * 180 * DAY;
                for (int j = 0; j < n; j++) {
                    clock += 60 - DAY * Math.log(1 - r.nextDouble()); // at least a minute apart
                    ts[j] = (long) clock;
                }
                p[u] = taste;
                pEnd[u] = end;
                picked[u] = chosen;
                times[u] = ts;
                ratings[u] = o.explicit() ? rate : null;
            }
        });
        int total = 0;
        for (int[] c : picked) {
            total += c.length;
        }
        int[] us = new int[total];
        int[] is = new int[total];
        float[] rs = new float[total];
        long[] ts = new long[total];
        int k = 0;
        for (int u = 0; u < o.users(); u++) {
            for (int j = 0; j < picked[u].length; j++) {
                us[k] = u;
                is[k] = picked[u][j];
                rs[k] = ratings[u] == null ? 1f : ratings[u][j];
                ts[k] = times[u][j];
                k++;
            }
        }
        Interactions data = Interactions.of(ids("user", o.users()), ids("item", o.items()), us, is, rs, ts);
        return new Data(o, data, group, v, p, pEnd, popRank);
    }

    /**
     * Draws items into chosen[at…upTo) without repeats, with probability ∝ exp(w) over the items
     * not taken yet (inverse CDF with rejection).
     */
    private static int draw(double[] w, boolean[] taken, int[] chosen, int at, int upTo, Rng r) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : w) {
            max = Math.max(max, x);
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.exp(w[i] - max); // the weights, once; a rebuild only sums them
        }
        double[] cdf = new double[w.length];
        while (at < upTo) {
            double s = 0;
            for (int i = 0; i < w.length; i++) {
                s += taken[i] ? 0 : w[i];
                cdf[i] = s;
            }
            // Rejection: a draw from the whole mass that lands on a taken item is drawn again, which
            // samples the remaining mass exactly; after 32 rejections in a row the taken items'
            // mass is taken out of the CDF instead.
            int rejected = 0;
            while (at < upTo && rejected < 32) {
                double x = r.nextDouble() * s;
                int i = Arrays.binarySearch(cdf, x);
                i = Math.min(i >= 0 ? i + 1 : -i - 1, w.length - 1);
                if (taken[i]) {
                    rejected++;
                    continue;
                }
                rejected = 0;
                taken[i] = true;
                chosen[at++] = i;
            }
        }
        return at;
    }

    private static float[][] gaussian(Rng rng, int n, int d, float std) {
        float[][] out = new float[n][d];
        for (float[] row : out) {
            for (int k = 0; k < d; k++) {
                row[k] = (float) (std * rng.nextGaussian());
            }
        }
        return out;
    }

    private static float[] noisy(float[] centre, float std, Rng rng) {
        float[] out = new float[centre.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = (float) (centre[k] + std * rng.nextGaussian());
        }
        return out;
    }

    private static float[] flatten(float[][] rows, int d) {
        float[] out = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * d, d);
        }
        return out;
    }

    private static Interactions.Ids ids(String what, int n) {
        List<String> l = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            l.add(Integer.toString(i));
        }
        return Interactions.Ids.of(what, l);
    }

    // ------------------------------------------------------------------ files

    /**
     * Writes the data: {@code FILE} (user,item,rating,timestamp, by user then time), and beside it
     * {@code BASE.items.csv} (item,title,genres,group,popularity_rank,f0…: item metadata with the
     * planted group as the genre, and the planted factors) and {@code BASE.users.csv}
     * (user,f0…[,end0…]), BASE being FILE without its extension. Each file is written atomically.
     */
    public static List<Path> write(Data d, Path file) throws IOException {
        Interactions x = d.interactions();
        AtomicFile.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write("user,item,rating,timestamp\n");
            StringBuilder sb = new StringBuilder(64);
            for (int k = 0; k < x.size(); k++) {
                sb.setLength(0);
                sb.append(x.users().id(x.user(k))).append(',').append(x.items().id(x.item(k))).append(',');
                float r = x.rating(k);
                if (r == 1f && !d.options().explicit()) {
                    sb.append('1');
                } else {
                    sb.append(String.format(Locale.ROOT, "%.3f", r));
                }
                sb.append(',').append(x.time(k)).append('\n');
                w.write(sb.toString());
            }
            w.flush();
        });
        String base = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        Path items = file.resolveSibling(base + ".items.csv");
        Path users = file.resolveSibling(base + ".users.csv");
        int rank = d.options().rank();
        AtomicFile.write(items, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            StringBuilder h = new StringBuilder("item,title,genres,group,popularity_rank");
            for (int k = 0; k < rank; k++) {
                h.append(",f").append(k);
            }
            w.write(h.append('\n').toString());
            for (int i = 0; i < d.itemGroup().length; i++) {
                StringBuilder sb = new StringBuilder();
                sb.append(i + 1).append(",item ").append(i + 1).append(",group ").append(d.itemGroup()[i]).append(',')
                        .append(d.itemGroup()[i]).append(',').append(d.popularityRank()[i]);
                for (float f : d.itemFactors()[i]) {
                    sb.append(',').append(String.format(Locale.ROOT, "%.5f", f));
                }
                w.write(sb.append('\n').toString());
            }
            w.flush();
        });
        boolean drift = d.options().drift() > 0;
        AtomicFile.write(users, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            StringBuilder h = new StringBuilder("user");
            for (int k = 0; k < rank; k++) {
                h.append(",f").append(k);
            }
            for (int k = 0; drift && k < rank; k++) {
                h.append(",end").append(k);
            }
            w.write(h.append('\n').toString());
            for (int u = 0; u < d.userFactors().length; u++) {
                StringBuilder sb = new StringBuilder();
                sb.append(u + 1);
                for (float f : d.userFactors()[u]) {
                    sb.append(',').append(String.format(Locale.ROOT, "%.5f", f));
                }
                for (int k = 0; drift && k < rank; k++) {
                    sb.append(',').append(String.format(Locale.ROOT, "%.5f", d.userEndFactors()[u][k]));
                }
                w.write(sb.append('\n').toString());
            }
            w.flush();
        });
        return List.of(file, items, users);
    }
}
