package org.omomi.ctr;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.omomi.io.AtomicFile;
import org.omomi.io.Json;
import org.omomi.tensor.Rng;

/**
 * A synthetic click log drawn from a known model, so that what a click model learns can be judged
 * against the truth. Each impression has the article's three features, categorical fields, a
 * planted low-rank interaction between two of them, and features that are pure noise:
 *
 * <pre>
 * age            whole years, uniform in 18…70                      weight +0.3 per standard deviation
 * interest_match the user's interest-category match, uniform [0, 1]  weight +1.0
 * ad_frequency   times the ad was shown to the user, Poisson(3)      weight −0.6 (fatigue)
 * noise_1, noise_2  N(0, 1) and uniform [0, 100]                     weight 0
 * site           40 sites, popularity ∝ 1/(rank + 2)                  main effect N(0, 0.4²)
 * ad_category    15 categories, popularity ∝ 1/√(rank + 2)           main effect N(0, 0.3²)
 * device         mobile 55%, desktop 35%, tablet 8%, missing 2%       +0.25, −0.1, 0, −0.4
 * noise_cat      25 values, uniform                                   no effect
 *
 * logit = −1.9 + Σ weight·(x − mean)/std + site + ad_category + device + γ·T[site, ad_category]
 * </pre>
 *
 * T = U·Vᵀ with U [40, 2], V [15, 2] standard normal, then double-centered under the fields'
 * popularity (its row and column means are 0, so it is pure interaction, no main effect) and
 * scaled so that its standard deviation over impressions is 1; γ is {@code interaction} (0 gives
 * a linear log). A row clicks with probability σ(logit), written beside it as
 * {@code true_probability}; the model's parameters go to {@code FILE.truth.json}.
 *
 * <p>{@link LogFormat#CRITEO} writes the same impressions in Criteo's layout: I1 = age, I2 =
 * ad_frequency, I3 = round(100·interest_match), I4…I13 heavy-tailed noise counts (10–40%
 * missing); C1 = site, C2 = ad_category, C3 = device (missing = empty), C4…C26 noise fields of
 * 4 to 200,000 values with Zipf popularity, every value as 8 hex digits; the true probabilities
 * go to {@code FILE.true_probability.csv}, one a line in row order.
 */
public final class ClickGenerator {

    /** The intercept of the true logit. */
    static final double BIAS = -1.9;
    static final int SITES = 40;
    static final int CATEGORIES = 15;
    static final int NOISE_VALUES = 25;
    static final int RANK = 2;
    static final String[] DEVICES = {"mobile", "desktop", "tablet", ""};
    static final double[] DEVICE_SHARE = {0.55, 0.35, 0.08, 0.02};
    static final double[] DEVICE_EFFECT = {0.25, -0.1, 0.0, -0.4};
    static final int[] CRITEO_CARDINALITIES = {4, 10, 30, 100, 300, 1000, 3000, 10_000, 30_000, 100_000, 200_000};

    /** The article's three features, their true weights (per standard deviation), and their population mean and std. */
    static final String[] ARTICLE = {"age", "interest_match", "ad_frequency"};
    static final double[] WEIGHTS = {0.3, 1.0, -0.6};
    static final double[] MEANS = {44, 0.5, 3};
    static final double[] STDS = {Math.sqrt((53.0 * 53 - 1) / 12), Math.sqrt(1.0 / 12), Math.sqrt(3)};

    /**
     * @param rows        impressions to write
     * @param interaction γ, the planted interaction's standard deviation in the logit
     */
    public record Options(long rows, long seed, LogFormat format, double interaction) {
        public Options {
            if (rows < 1) {
                throw new IllegalArgumentException("--rows must be at least 1, got " + rows);
            }
            if (!(interaction >= 0) || Double.isInfinite(interaction)) {
                throw new IllegalArgumentException("--interaction must be a number ≥ 0, got " + interaction);
            }
        }
    }

    private ClickGenerator() {}

    /** The file beside a log that holds its true parameters. */
    public static Path truthFile(Path log) {
        return log.resolveSibling(log.getFileName() + ".truth.json");
    }

    /** The file beside a Criteo-layout log that holds each row's true probability. */
    public static Path probabilityFile(Path log) {
        return log.resolveSibling(log.getFileName() + ".true_probability.csv");
    }

    /** Writes the log (atomically), its truth, and for Criteo's layout the probabilities; returns the truth. */
    public static Truth write(Path out, Options o, Progress progress) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            java.nio.file.Files.createDirectories(parent);
        }
        Rng root = new Rng(o.seed());
        Model m = new Model(o, root.split());
        Rng rowRng = root.split();
        double[] sum = new double[2]; // probability sum, clicks
        boolean criteo = o.format() == LogFormat.CRITEO;
        Path probabilities = probabilityFile(out);
        if (criteo) {
            // Both files are drawn in one pass: the probabilities into their own file as the log is written.
            AtomicFile.write(probabilities, pout -> {
                Writer pw = new BufferedWriter(new OutputStreamWriter(pout, StandardCharsets.UTF_8), 1 << 16);
                pw.write(CsvLogReader.TRUTH + "\n");
                AtomicFile.write(out, lout -> rows(m, o, rowRng, new BufferedWriter(new OutputStreamWriter(lout, StandardCharsets.UTF_8), 1 << 16),
                        pw, sum, progress));
                pw.flush();
            });
        } else {
            AtomicFile.write(out, lout -> rows(m, o, rowRng, new BufferedWriter(new OutputStreamWriter(lout, StandardCharsets.UTF_8), 1 << 16),
                    null, sum, progress));
        }
        progress.done();
        Truth t = m.truth(sum[0] / o.rows(), sum[1] / o.rows());
        AtomicFile.writeString(truthFile(out), Json.write(t.toJson()) + "\n");
        return t;
    }

    private static void rows(Model m, Options o, Rng rng, Writer w, Writer probabilities, double[] sum, Progress progress)
            throws IOException {
        boolean criteo = o.format() == LogFormat.CRITEO;
        StringBuilder line = new StringBuilder(512);
        if (!criteo) {
            w.write("click,age,interest_match,ad_frequency,noise_1,noise_2,site,ad_category,device,noise_cat,true_probability\n");
        }
        Impression im = new Impression();
        for (long r = 0; r < o.rows(); r++) {
            m.draw(rng, im);
            sum[0] += im.probability;
            sum[1] += im.click;
            line.setLength(0);
            if (criteo) {
                m.criteoLine(rng, im, line);
                StringBuilder pl = new StringBuilder(12);
                probabilities.append(fixed(pl, im.probability, 6).append('\n'));
            } else {
                line.append(im.click).append(',').append(im.age).append(',');
                fixed(line, im.interest, 3).append(',').append(im.frequency).append(',');
                fixed(line, im.noise1, 3).append(',');
                fixed(line, im.noise2, 2).append(',');
                line.append(m.siteName(im.site)).append(',').append(m.categoryName(im.category)).append(',')
                        .append(DEVICES[im.device]).append(',').append("n").append(im.noiseCat < 10 ? "0" : "").append(im.noiseCat).append(',');
                fixed(line, im.probability, 6).append('\n');
            }
            w.append(line);
            if ((r & 0x3fff) == 0) {
                progress.update("generating", r, o.rows());
            }
        }
        w.flush();
    }

    /** Appends v with {@code digits} decimals (Locale.ROOT), without String.format's cost. */
    private static StringBuilder fixed(StringBuilder sb, double v, int digits) {
        long scale = (long) Math.pow(10, digits);
        long q = Math.round(Math.abs(v) * scale);
        if (v < 0 && q != 0) {
            sb.append('-');
        }
        sb.append(q / scale).append('.');
        String frac = Long.toString(q % scale);
        for (int i = frac.length(); i < digits; i++) {
            sb.append('0');
        }
        return sb.append(frac);
    }

    /** One row's latent draws. */
    private static final class Impression {
        int age;
        double interest;
        int frequency;
        double noise1;
        double noise2;
        int site;
        int category;
        int device;
        int noiseCat;
        double probability;
        int click;
    }

    /** The generating model's parameters, drawn from the seed. */
    private static final class Model {
        final double[] siteCdf;
        final double[] categoryCdf;
        final double[] sitePop;
        final double[] categoryPop;
        final double[] siteEffect = new double[SITES];
        final double[] categoryEffect = new double[CATEGORIES];
        final double[][] table = new double[SITES][CATEGORIES];
        final double gamma;
        final boolean criteo;
        final List<double[]> noiseCdfs = new ArrayList<>();
        final String[] siteNames = new String[SITES];
        final String[] categoryNames = new String[CATEGORIES];

        Model(Options o, Rng rng) {
            criteo = o.format() == LogFormat.CRITEO;
            gamma = o.interaction();
            for (int i = 0; i < SITES; i++) {
                siteNames[i] = criteo ? hex(1, i) : String.format(Locale.ROOT, "site_%02d", i);
            }
            for (int i = 0; i < CATEGORIES; i++) {
                categoryNames[i] = criteo ? hex(2, i) : String.format(Locale.ROOT, "cat_%02d", i);
            }
            sitePop = popularity(SITES, 1.0);
            categoryPop = popularity(CATEGORIES, 0.5);
            siteCdf = cdf(sitePop);
            categoryCdf = cdf(categoryPop);
            for (int s = 0; s < SITES; s++) {
                siteEffect[s] = 0.4 * rng.nextGaussian();
            }
            for (int c = 0; c < CATEGORIES; c++) {
                categoryEffect[c] = 0.3 * rng.nextGaussian();
            }
            double[][] u = new double[SITES][RANK];
            double[][] v = new double[CATEGORIES][RANK];
            for (double[] row : u) {
                for (int k = 0; k < RANK; k++) {
                    row[k] = rng.nextGaussian();
                }
            }
            for (double[] row : v) {
                for (int k = 0; k < RANK; k++) {
                    row[k] = rng.nextGaussian();
                }
            }
            for (int s = 0; s < SITES; s++) {
                for (int c = 0; c < CATEGORIES; c++) {
                    double dot = 0;
                    for (int k = 0; k < RANK; k++) {
                        dot += u[s][k] * v[c][k];
                    }
                    table[s][c] = dot;
                }
            }
            // Double-centering under the popularity: row and column means 0, so the table is pure interaction.
            double[] rowMean = new double[SITES];
            double[] colMean = new double[CATEGORIES];
            double grand = 0;
            for (int s = 0; s < SITES; s++) {
                for (int c = 0; c < CATEGORIES; c++) {
                    rowMean[s] += categoryPop[c] * table[s][c];
                    colMean[c] += sitePop[s] * table[s][c];
                    grand += sitePop[s] * categoryPop[c] * table[s][c];
                }
            }
            double var = 0;
            for (int s = 0; s < SITES; s++) {
                for (int c = 0; c < CATEGORIES; c++) {
                    table[s][c] -= rowMean[s] + colMean[c] - grand;
                    var += sitePop[s] * categoryPop[c] * table[s][c] * table[s][c];
                }
            }
            double scale = 1 / Math.sqrt(var);
            for (double[] row : table) {
                for (int c = 0; c < CATEGORIES; c++) {
                    row[c] *= scale;
                }
            }
            if (criteo) {
                for (int f = 0; f < LogFormat.CRITEO_CATEGORIES - 3; f++) {
                    noiseCdfs.add(cdf(popularity(CRITEO_CARDINALITIES[f % CRITEO_CARDINALITIES.length], 1.1)));
                }
            }
        }

        static double[] popularity(int n, double exponent) {
            double[] p = new double[n];
            double total = 0;
            for (int i = 0; i < n; i++) {
                p[i] = 1 / Math.pow(i + 2, exponent);
                total += p[i];
            }
            for (int i = 0; i < n; i++) {
                p[i] /= total;
            }
            return p;
        }

        static double[] cdf(double[] p) {
            double[] c = new double[p.length];
            double acc = 0;
            for (int i = 0; i < p.length; i++) {
                acc += p[i];
                c[i] = acc;
            }
            c[p.length - 1] = 1;
            return c;
        }

        static int pick(double[] cdf, double u) {
            int lo = 0;
            int hi = cdf.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cdf[mid] > u) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo;
        }

        static int poisson(Rng rng, double lambda) {
            double limit = Math.exp(-lambda);
            double p = 1;
            int k = 0;
            do {
                k++;
                p *= rng.nextDouble();
            } while (p > limit);
            return k - 1;
        }

        void draw(Rng rng, Impression im) {
            im.age = 18 + rng.nextInt(53);
            im.interest = Math.round(rng.nextDouble() * 1000) / 1000.0;
            im.frequency = Math.min(15, poisson(rng, 3));
            im.noise1 = Math.round(rng.nextGaussian() * 1000) / 1000.0;
            im.noise2 = Math.round(rng.nextDouble() * 10000) / 100.0;
            im.site = pick(siteCdf, rng.nextDouble());
            im.category = pick(categoryCdf, rng.nextDouble());
            double u = rng.nextDouble();
            im.device = u < 0.55 ? 0 : u < 0.90 ? 1 : u < 0.98 ? 2 : 3;
            im.noiseCat = rng.nextInt(NOISE_VALUES);
            double z = BIAS + WEIGHTS[0] * (im.age - MEANS[0]) / STDS[0] + WEIGHTS[1] * (im.interest - MEANS[1]) / STDS[1]
                    + WEIGHTS[2] * (im.frequency - MEANS[2]) / STDS[2] + siteEffect[im.site] + categoryEffect[im.category]
                    + DEVICE_EFFECT[im.device] + gamma * table[im.site][im.category];
            im.probability = 1 / (1 + Math.exp(-z));
            im.click = rng.nextDouble() < im.probability ? 1 : 0;
        }

        String siteName(int s) {
            return siteNames[s];
        }

        String categoryName(int c) {
            return categoryNames[c];
        }

        /** Criteo-like value: 8 hex digits of a hash of (field, index). */
        static String hex(int field, int index) {
            long z = field * 0x9e3779b97f4a7c15L + index * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 31)) * 0x94d049bb133111ebL;
            z ^= z >>> 29;
            String h = Long.toHexString(z & 0xffffffffL);
            return "0".repeat(8 - h.length()) + h;
        }

        void criteoLine(Rng rng, Impression im, StringBuilder sb) {
            sb.append(im.click).append('\t').append(im.age).append('\t').append(im.frequency).append('\t')
                    .append(Math.round(im.interest * 100));
            for (int i = 4; i <= LogFormat.CRITEO_INTEGERS; i++) {
                sb.append('\t');
                double missing = 0.1 + 0.03 * (i - 4);
                long v = (long) Math.floor(Math.exp(0.3 * i + 1.2 * rng.nextGaussian())) - 1;
                if (rng.nextDouble() >= missing) {
                    sb.append(v);
                }
            }
            sb.append('\t').append(siteName(im.site)).append('\t').append(categoryName(im.category)).append('\t');
            if (im.device != 3) {
                sb.append(hex(3, im.device));
            }
            for (int f = 0; f < noiseCdfs.size(); f++) {
                sb.append('\t');
                int k = pick(noiseCdfs.get(f), rng.nextDouble());
                if (rng.nextDouble() >= 0.05) {
                    appendHex(sb, 4 + f, k);
                }
            }
            sb.append('\n');
        }

        static void appendHex(StringBuilder sb, int field, int index) {
            long z = field * 0x9e3779b97f4a7c15L + index * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 31)) * 0x94d049bb133111ebL;
            z ^= z >>> 29;
            for (int shift = 28; shift >= 0; shift -= 4) {
                sb.append(Character.forDigit((int) (z >>> shift) & 0xf, 16));
            }
        }

        Truth truth(double meanProbability, double clickRate) {
            Map<String, Truth.Weight> numeric = new LinkedHashMap<>();
            String[] names = criteo ? new String[] {"I1", "I3", "I2"} : ARTICLE;
            for (int j = 0; j < 3; j++) {
                numeric.put(names[j], new Truth.Weight(WEIGHTS[j], MEANS[j] * (criteo && j == 1 ? 100 : 1),
                        STDS[j] * (criteo && j == 1 ? 100 : 1)));
            }
            if (!criteo) {
                numeric.put("noise_1", new Truth.Weight(0, 0, 1));
                numeric.put("noise_2", new Truth.Weight(0, 50, Math.sqrt(10000.0 / 12)));
            }
            List<String> sites = new ArrayList<>();
            List<String> categories = new ArrayList<>();
            for (int s = 0; s < SITES; s++) {
                sites.add(siteName(s));
            }
            for (int c = 0; c < CATEGORIES; c++) {
                categories.add(categoryName(c));
            }
            Map<String, Map<String, Double>> effects = new LinkedHashMap<>();
            Map<String, Double> site = new LinkedHashMap<>();
            Map<String, Double> cat = new LinkedHashMap<>();
            Map<String, Double> dev = new LinkedHashMap<>();
            for (int s = 0; s < SITES; s++) {
                site.put(sites.get(s), siteEffect[s]);
            }
            for (int c = 0; c < CATEGORIES; c++) {
                cat.put(categories.get(c), categoryEffect[c]);
            }
            for (int d = 0; d < DEVICES.length; d++) {
                dev.put(DEVICES[d].isEmpty() ? ClickFeatures.MISSING : criteo ? hex(3, d) : DEVICES[d], DEVICE_EFFECT[d]);
            }
            String siteField = criteo ? "C1" : "site";
            String catField = criteo ? "C2" : "ad_category";
            effects.put(siteField, site);
            effects.put(catField, cat);
            effects.put(criteo ? "C3" : "device", dev);
            double[][] scaled = new double[SITES][CATEGORIES];
            for (int s = 0; s < SITES; s++) {
                for (int c = 0; c < CATEGORIES; c++) {
                    scaled[s][c] = gamma * table[s][c];
                }
            }
            List<String> noise = criteo ? List.of() : List.of("noise_1", "noise_2", "noise_cat");
            return new Truth(BIAS, numeric, effects, new Truth.Interaction(siteField, catField, sites, categories, scaled, gamma, RANK),
                    noise, meanProbability, clickRate);
        }
    }
}
