package org.omomi.segment;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.omomi.data.Csv;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * Generated data with planted structure, so every claim about segmentation can be checked
 * against the truth. Everything comes from the {@link Rng} passed in.
 */
public final class Synthetic {

    /** The planted business segments of {@link #customers}, in order. */
    public static final List<String> SEGMENTS = List.of("loyal", "bargain-hunter", "big-basket", "occasional");
    /** The two features that carry the business segments. */
    public static final List<String> BUSINESS_FEATURES = List.of("visits_per_month", "basket_value");
    /** The six features that carry the competing, unrelated grouping (the customers' channels). */
    public static final List<String> CHANNEL_FEATURES = List.of("app_sessions", "web_sessions", "email_opens", "push_clicks",
            "store_visits", "call_minutes");
    /** The planted customer types of {@link #transactions}, in order. */
    public static final List<String> TYPES = List.of("champion", "newcomer", "lapsed", "occasional");
    /** The label column {@link #customers} writes. */
    public static final String SEGMENT_COLUMN = "segment";

    private static final String[] REGIONS = {"east", "north", "south", "west"};
    // The four channel groups as ±1 patterns over the six channel features: every column balanced,
    // every two groups apart in at least three features.
    private static final int[][] CHANNELS = {
        {1, 1, -1, -1, 1, -1},
        {1, -1, 1, -1, -1, 1},
        {-1, 1, 1, 1, -1, -1},
        {-1, -1, -1, 1, 1, 1},
    };

    /** Points with their true groups. */
    public record Labelled(Tensor x, int[] labels, List<String> features) {}

    private Synthetic() {}

    /**
     * A customer table with competing structure: 4 business segments ({@link #SEGMENTS}) that live
     * in 2 features ({@link #BUSINESS_FEATURES}); 4 channel groups, independent of the segments and
     * more strongly separated, in 6 others ({@link #CHANNEL_FEATURES}); 2 numeric noise features
     * (age, tenure_months) and a categorical noise feature (region). Columns: customer_id, the
     * features, and the true segment ({@link #SEGMENT_COLUMN}). Segments and channels are drawn
     * uniformly and independently for each customer.
     *
     * <p>visits_per_month is about 9 (loyal, bargain-hunter) or 3 (big-basket, occasional), σ 0.8;
     * basket_value about 80 (loyal, big-basket) or 30, σ 6. Each channel feature is its group's
     * ±1 pattern times its own amplitude, plus 0.3 × that amplitude of noise, around a base level.
     * Standardised, the channel grouping separates the customers by more, and in more features,
     * than the segments: plain k-means finds the channels.
     */
    public static Csv.Table customers(int n, Rng rng) {
        if (n < 1) {
            throw new IllegalArgumentException("customers: n must be at least 1, got " + n);
        }
        Rng draw = rng.split();
        List<String> header = new ArrayList<>();
        header.add("customer_id");
        header.addAll(BUSINESS_FEATURES);
        header.addAll(CHANNEL_FEATURES);
        header.add("age");
        header.add("tenure_months");
        header.add("region");
        header.add(SEGMENT_COLUMN);
        double[] base = {120, 100, 60, 50, 40, 150};
        double[] amplitude = {45, 40, 25, 20, 15, 50};
        List<String[]> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int s = draw.nextInt(4);
            int g = draw.nextInt(4);
            List<String> r = new ArrayList<>();
            r.add(String.format(Locale.ROOT, "C%05d", i + 1));
            double visits = (s < 2 ? 9 : 3) + 0.8 * draw.nextGaussian();
            double basket = (s == 0 || s == 2 ? 80 : 30) + 6 * draw.nextGaussian();
            r.add(fmt(Math.max(0, visits), 2));
            r.add(fmt(Math.max(1, basket), 2));
            for (int j = 0; j < 6; j++) {
                double v = base[j] + amplitude[j] * (CHANNELS[g][j] + 0.3 * draw.nextGaussian());
                r.add(fmt(v, 2));
            }
            r.add(Integer.toString(18 + draw.nextInt(58)));
            r.add(Integer.toString(1 + draw.nextInt(120)));
            r.add(REGIONS[draw.nextInt(4)]);
            r.add(SEGMENTS.get(s));
            rows.add(r.toArray(new String[0]));
        }
        return table(Path.of("customers.csv"), header, rows);
    }

    /**
     * Points in k clusters that live in {@code real} features, padded with {@code noise} features
     * of pure noise: the real features put the cluster centres at random corners of a hypercube
     * (±1.5, σ 0.5, no two clusters at one corner where there are enough corners); every noise
     * feature is N(0, 1). Features are named real1 …, noise1 ….
     */
    public static Labelled noisy(int n, int k, int real, int noise, Rng rng) {
        if (real < 1 || noise < 0 || k < 1 || (1L << Math.min(real, 30)) < k) {
            throw new IllegalArgumentException("noisy: need real ≥ 1 and k ≤ 2^real, got real=" + real + ", k=" + k);
        }
        Rng draw = rng.split();
        int[] corners = java.util.Arrays.copyOf(draw.permutation(1 << Math.min(real, 20)), k);
        int d = real + noise;
        float[] x = new float[n * d];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = draw.nextInt(k);
            labels[i] = c;
            for (int j = 0; j < real; j++) {
                int sign = ((corners[c] >> j) & 1) == 1 ? 1 : -1;
                x[i * d + j] = (float) (1.5 * sign + 0.5 * draw.nextGaussian());
            }
            for (int j = real; j < d; j++) {
                x[i * d + j] = (float) draw.nextGaussian();
            }
        }
        List<String> names = new ArrayList<>();
        for (int j = 0; j < real; j++) {
            names.add("real" + (j + 1));
        }
        for (int j = 0; j < noise; j++) {
            names.add("noise" + (j + 1));
        }
        return new Labelled(Tensor.wrap(x, n, d), labels, names);
    }

    /**
     * k round clusters in d features: centres drawn uniformly in [−10, 10]^d, at least 6 apart
     * (redrawn until they are), spread σ = 1 around them; clusters of equal expected size.
     */
    public static Labelled blobs(int n, int k, int d, Rng rng) {
        Rng draw = rng.split();
        double[][] centres = new double[k][d];
        for (int c = 0; c < k; c++) {
            for (int attempt = 0; ; attempt++) {
                for (int j = 0; j < d; j++) {
                    centres[c][j] = -10 + 20 * draw.nextDouble();
                }
                boolean apart = true;
                for (int o = 0; o < c && apart; o++) {
                    double s = 0;
                    for (int j = 0; j < d; j++) {
                        s += (centres[c][j] - centres[o][j]) * (centres[c][j] - centres[o][j]);
                    }
                    apart = Math.sqrt(s) >= 6;
                }
                if (apart) {
                    break;
                }
                if (attempt > 10_000) {
                    throw new IllegalArgumentException("blobs: cannot place " + k + " centres 6 apart in " + d + " features");
                }
            }
        }
        float[] x = new float[n * d];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = draw.nextInt(k);
            labels[i] = c;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (centres[c][j] + draw.nextGaussian());
            }
        }
        List<String> names = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            names.add("x" + (j + 1));
        }
        return new Labelled(Tensor.wrap(x, n, d), labels, names);
    }

    /**
     * A transaction log over the 365 days up to {@code asOf}, from customers of 4 planted types
     * ({@link #TYPES}), drawn uniformly. Columns: customer_id, date (ISO), amount, type.
     *
     * <ul>
     * <li>champion: buys every 7 days on average all year, about 80 a time;</li>
     * <li>newcomer: first bought in the last 45 days, every 10 days since, about 60 a time;</li>
     * <li>lapsed: bought every 12 days until 150–300 days ago, then stopped, about 45 a time;</li>
     * <li>occasional: buys every 60 days on average all year, about 15 a time.</li>
     * </ul>
     * Gaps between purchases are exponential; amounts log-normal (σ 0.35 on the log scale). Every
     * customer has at least one purchase.
     */
    public static Csv.Table transactions(int customers, LocalDate asOf, Rng rng) {
        Rng draw = rng.split();
        List<String> header = List.of("customer_id", "date", "amount", "type");
        List<String[]> rows = new ArrayList<>();
        double[] gap = {7, 10, 12, 60};
        double[] amount = {80, 60, 45, 15};
        for (int c = 0; c < customers; c++) {
            int t = draw.nextInt(4);
            String id = String.format(Locale.ROOT, "C%05d", c + 1);
            double start = switch (t) {
                case 1 -> 45 * draw.nextDouble(); // days before asOf
                default -> 365;
            };
            double stop = t == 2 ? 150 + 150 * draw.nextDouble() : 0;
            List<Integer> days = new ArrayList<>();
            double day = t == 1 ? start : start - gap[t] * -Math.log(1 - draw.nextDouble());
            if (t == 1) {
                days.add((int) Math.floor(day));
                day -= gap[t] * -Math.log(1 - draw.nextDouble());
            }
            while (day >= stop) {
                days.add((int) Math.floor(day));
                day -= gap[t] * -Math.log(1 - draw.nextDouble());
            }
            if (days.isEmpty()) {
                days.add((int) Math.floor(stop + (start - stop) * draw.nextDouble()));
            }
            for (int back : days) {
                double a = amount[t] * Math.exp(0.35 * draw.nextGaussian());
                rows.add(new String[] {id, asOf.minusDays(back).toString(), fmt(a, 2), TYPES.get(t)});
            }
        }
        return table(Path.of("transactions.csv"), header, rows);
    }

    /** A table as {@link Csv#read} would give it, lines numbered from 2 (after the header). */
    static Csv.Table table(Path name, List<String> header, List<String[]> rows) {
        int[] lines = new int[rows.size()];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = i + 2;
        }
        return new Csv.Table(name, List.copyOf(header), rows, lines);
    }

    static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
