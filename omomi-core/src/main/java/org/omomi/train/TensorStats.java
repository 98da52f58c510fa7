package org.omomi.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Summary statistics of one tensor's values, as the run log records them for weights and
 * gradients: mean, standard deviation (population), min, max, L2 norm and the fraction of exact
 * zeros, over the finite values, plus a {@link Histogram} and the {@link #PERCENTILES}.
 */
public record TensorStats(double mean, double std, double min, double max, double l2, double zeroFraction,
        double[] percentiles, Histogram histogram) {

    /** Bins of the histograms in the run log. */
    public static final int BINS = 30;

    /**
     * The percentiles recorded: the median and the points a normal distribution has at ±1σ and ±2σ
     * (15.87/84.13 and 2.28/97.72), so percentile bands read like σ bands without assuming normality.
     */
    public static final double[] PERCENTILES = {2.275, 15.866, 50, 84.134, 97.725};

    /** The run log's names for {@link #PERCENTILES}. */
    public static final String[] PERCENTILE_KEYS = {"p2.3", "p15.9", "p50", "p84.1", "p97.7"};

    public static TensorStats of(float[] v) {
        double sum = 0;
        double sq = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long zeros = 0;
        long n = 0;
        for (float x : v) {
            if (!Float.isFinite(x)) {
                continue;
            }
            n++;
            sum += x;
            sq += (double) x * x;
            min = Math.min(min, x);
            max = Math.max(max, x);
            if (x == 0f) {
                zeros++;
            }
        }
        double mean = n == 0 ? Double.NaN : sum / n;
        double var = n == 0 ? Double.NaN : Math.max(0, sq / n - mean * mean);
        return new TensorStats(mean, Math.sqrt(var), n == 0 ? Double.NaN : min, n == 0 ? Double.NaN : max,
                Math.sqrt(sq), v.length == 0 ? Double.NaN : (double) zeros / v.length, percentiles(v, n), Histogram.of(v, BINS));
    }

    /** {@link #PERCENTILES} of the finite values, interpolated linearly between order statistics (numpy's default); NaN when there are none. */
    static double[] percentiles(float[] v, long finite) {
        double[] out = new double[PERCENTILES.length];
        if (finite == 0) {
            Arrays.fill(out, Double.NaN);
            return out;
        }
        int count = (int) finite;
        // Only the order statistics either side of each percentile are needed: finding those ten
        // costs O(n) where sorting a table of millions of weights every epoch costs O(n log n).
        int[] ranks = new int[2 * out.length];
        for (int i = 0; i < out.length; i++) {
            double pos = PERCENTILES[i] / 100 * (count - 1);
            ranks[2 * i] = (int) Math.floor(pos);
            ranks[2 * i + 1] = Math.min(ranks[2 * i] + 1, count - 1);
        }
        float[] at = count >= RADIX_FROM ? byCounting(v, ranks) : bySelection(v, count, ranks);
        for (int i = 0; i < out.length; i++) {
            double pos = PERCENTILES[i] / 100 * (count - 1);
            float lo = at[2 * i];
            float hi = at[2 * i + 1];
            out[i] = lo + (pos - ranks[2 * i]) * ((double) hi - lo);
        }
        return out;
    }

    /** From this many finite values on, {@link #percentiles} counts rather than copies and selects. */
    static final int RADIX_FROM = 1 << 16;

    /** The finite values at the given ranks (of a sort in {@link Float#compare} order): copied, then selected. */
    private static float[] bySelection(float[] v, int finite, int[] ranks) {
        float[] a = new float[finite];
        int k = 0;
        for (float x : v) {
            if (Float.isFinite(x)) {
                a[k++] = x;
            }
        }
        int[] wanted = Arrays.stream(ranks).distinct().sorted().toArray();
        select(a, 0, a.length - 1, wanted, 0, wanted.length);
        float[] at = new float[ranks.length];
        for (int r = 0; r < ranks.length; r++) {
            at[r] = a[ranks[r]];
        }
        return at;
    }

    /**
     * The same values as {@link #bySelection} without copying the array: each finite value's bits,
     * mapped to an int that orders as {@link Float#compare} does, are counted by their high 16 bits,
     * which finds the bucket holding each wanted rank; a second pass counts the low 16 bits of the
     * values in those buckets, which finds each rank's exact value. Two reads of the array and no
     * copy, where selection copies it (an embedding table of 2²⁴ weights: 64 MB) and partitions the
     * copy.
     */
    private static float[] byCounting(float[] v, int[] ranks) {
        int[] high = new int[1 << 16];
        for (float x : v) {
            if (Float.isFinite(x)) {
                high[orderedBits(x) >>> 16]++;
            }
        }
        // For each rank: its high bucket and its rank among the values of that bucket.
        int[] bucketOf = new int[ranks.length];
        int[] within = new int[ranks.length];
        for (int r = 0; r < ranks.length; r++) {
            int[] found = locate(high, ranks[r]);
            bucketOf[r] = found[0];
            within[r] = found[1];
        }
        int[] buckets = Arrays.stream(bucketOf).distinct().sorted().toArray();
        int[] slot = new int[1 << 16];
        Arrays.fill(slot, -1);
        for (int i = 0; i < buckets.length; i++) {
            slot[buckets[i]] = i;
        }
        int[][] low = new int[buckets.length][1 << 16];
        for (float x : v) {
            if (Float.isFinite(x)) {
                int bits = orderedBits(x);
                int sl = slot[bits >>> 16];
                if (sl >= 0) {
                    low[sl][bits & 0xffff]++;
                }
            }
        }
        float[] at = new float[ranks.length];
        for (int r = 0; r < ranks.length; r++) {
            int l = locate(low[slot[bucketOf[r]]], within[r])[0];
            at[r] = fromOrderedBits((bucketOf[r] << 16) | l);
        }
        return at;
    }

    /**
     * The bucket holding the value of the given rank, counts being the buckets' sizes in order, and
     * that value's rank within its bucket: {bucket, rank within}.
     */
    private static int[] locate(int[] counts, int rank) {
        int below = 0;
        int b = 0;
        while (below + counts[b] <= rank) {
            below += counts[b++];
        }
        return new int[] {b, rank - below};
    }

    /**
     * The float's bits as an unsigned order: for finite values, x before y in {@link Float#compare}
     * (−0 before +0) exactly when orderedBits(x) is the smaller unsigned int.
     */
    private static int orderedBits(float x) {
        int bits = Float.floatToRawIntBits(x);
        return bits < 0 ? ~bits : bits | 0x80000000;
    }

    private static float fromOrderedBits(int ordered) {
        return Float.intBitsToFloat(ordered < 0 ? ordered & 0x7fffffff : ~ordered);
    }

    /**
     * Rearranges a[lo…hi] so that a[r] holds the value a full sort (in {@link Float#compare}
     * order) would put there, for each rank r in ranks[from…to) (sorted, within lo…hi): a
     * three-way quickselect that descends only into the parts holding wanted ranks.
     */
    static void select(float[] a, int lo, int hi, int[] ranks, int from, int to) {
        while (from < to && lo < hi) {
            if (hi - lo < 16) {
                for (int i = lo + 1; i <= hi; i++) { // insertion sort of a short range
                    float x = a[i];
                    int j = i - 1;
                    while (j >= lo && Float.compare(a[j], x) > 0) {
                        a[j + 1] = a[j];
                        j--;
                    }
                    a[j + 1] = x;
                }
                return;
            }
            float pivot = medianOfThree(a[lo], a[(lo + hi) >>> 1], a[hi]);
            int lt = lo;
            int gt = hi;
            int i = lo;
            while (i <= gt) { // a[lo…lt) < pivot, a[lt…i) == pivot, a(gt…hi] > pivot
                int c = Float.compare(a[i], pivot);
                if (c < 0) {
                    float t = a[lt];
                    a[lt++] = a[i];
                    a[i++] = t;
                } else if (c > 0) {
                    float t = a[gt];
                    a[gt--] = a[i];
                    a[i] = t;
                } else {
                    i++;
                }
            }
            int below = from;
            while (below < to && ranks[below] < lt) {
                below++;
            }
            int above = below;
            while (above < to && ranks[above] <= gt) {
                above++;
            }
            select(a, lo, lt - 1, ranks, from, below);
            from = above; // ranks in lt…gt hold the pivot already
            lo = gt + 1;
        }
    }

    private static float medianOfThree(float x, float y, float z) {
        if (Float.compare(x, y) > 0) {
            float t = x;
            x = y;
            y = t;
        }
        if (Float.compare(y, z) > 0) {
            y = z;
        }
        return Float.compare(x, y) > 0 ? x : y;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", mean);
        m.put("std", std);
        m.put("min", min);
        m.put("max", max);
        m.put("l2", l2);
        m.put("zero_fraction", zeroFraction);
        Map<String, Object> p = new LinkedHashMap<>();
        for (int i = 0; i < PERCENTILES.length; i++) {
            p.put(PERCENTILE_KEYS[i], percentiles[i]);
        }
        m.put("percentiles", p);
        m.put("histogram", histogram.toJson());
        return m;
    }

    /** Reads {@link #toJson()}'s form back; absent or null numbers read as NaN. */
    public static TensorStats fromJson(Map<String, Object> m) {
        Map<String, Object> p = RunLog.object(m, "percentiles");
        double[] percentiles = new double[PERCENTILES.length];
        for (int i = 0; i < percentiles.length; i++) {
            percentiles[i] = RunLog.number(p, PERCENTILE_KEYS[i]);
        }
        return new TensorStats(RunLog.number(m, "mean"), RunLog.number(m, "std"), RunLog.number(m, "min"), RunLog.number(m, "max"),
                RunLog.number(m, "l2"), RunLog.number(m, "zero_fraction"), percentiles, Histogram.fromJson(RunLog.object(m, "histogram")));
    }
}
