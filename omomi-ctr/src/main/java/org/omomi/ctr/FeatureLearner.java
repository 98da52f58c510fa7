package org.omomi.ctr;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.omomi.ctr.ClickFeatures.Categorical;
import org.omomi.ctr.ClickFeatures.Numeric;
import org.omomi.ctr.ClickFeatures.Transform;

/**
 * The first streaming pass over a click log: counts the rows of each split and learns the
 * {@link ClickFeatures} from the training rows only (held-out rows are counted and left alone).
 * Memory: the numeric features' running sums, and with vocabularies one counter per distinct value
 * (bounded by {@link FeatureOptions#maxDistinct()}; with hashing nothing per value).
 *
 * <p>CSV columns are numeric when at least half of their non-missing values among the first
 * {@value #SNIFF} training rows are numbers (unless named categorical); a later value that is not
 * a number in a numeric column is then a malformed row. Criteo's layout fixes the kinds.
 */
public final class FeatureLearner {

    /** Training rows read before the CSV columns' kinds are decided. */
    static final int SNIFF = 1000;

    /** What the pass found. */
    public record Learned(ClickFeatures features, long rows, long trainRows, long keptTrainRows, long heldOutRows,
                          long trainPositives, long skipped, String firstSkipped) {}

    private FeatureLearner() {}

    /** Reads the whole log once. */
    public static Learned learn(ClickLog log, FeatureOptions options, Split split, Progress progress) throws IOException {
        try (LogReader reader = log.open()) {
            List<String> fields = reader.fields();
            int n = fields.size();
            boolean[] numeric = new boolean[n];
            Transform[] transform = new Transform[n];
            List<LogRow> sniffed = new ArrayList<>();
            long rows = 0;
            long heldOut = 0;
            LogRow r;
            if (log.format() == LogFormat.CRITEO) {
                for (int i = 0; i < n; i++) {
                    boolean integer = i < LogFormat.CRITEO_INTEGERS;
                    numeric[i] = integer && options.criteoIntegers() == Transform.LOG1P;
                    transform[i] = integer ? options.criteoIntegers() : Transform.NONE;
                }
            } else {
                for (String c : options.categorical()) {
                    if (!fields.contains(c)) {
                        throw new IllegalArgumentException(log.file() + ": no column '" + c + "' to treat as categorical; the feature columns are " + fields);
                    }
                }
                while (sniffed.size() < SNIFF && (r = reader.next()) != null) {
                    rows++;
                    if (split.heldOut(r.line())) {
                        heldOut++;
                    } else {
                        sniffed.add(r);
                    }
                }
                for (int i = 0; i < n; i++) {
                    numeric[i] = !options.categorical().contains(fields.get(i)) && mostlyNumbers(sniffed, i);
                    transform[i] = Transform.NONE;
                }
            }
            Accumulator acc = new Accumulator(log, fields, numeric, transform, options);
            for (LogRow s : sniffed) {
                acc.add(s, split);
            }
            while ((r = reader.next()) != null) {
                rows++;
                if (split.heldOut(r.line())) {
                    heldOut++;
                } else {
                    acc.add(r, split);
                }
                if ((rows & 0x3fff) == 0) {
                    progress.update("reading " + log.file().getFileName(), rows, -1);
                }
            }
            progress.done();
            if (acc.trainRows == 0) {
                throw new IllegalArgumentException(log.file() + ": no training rows" + (rows == 0 ? " (the log is empty)" : " (all " + rows + " are held out)"));
            }
            long skipped = reader.skipped() + acc.skipped;
            String first = reader.firstSkipped() != null ? reader.firstSkipped() : acc.firstSkipped;
            return new Learned(acc.features(log), rows, acc.trainRows, acc.kept, heldOut, acc.positives, skipped, first);
        }
    }

    private static boolean mostlyNumbers(List<LogRow> rows, int i) {
        int present = 0;
        int numbers = 0;
        for (LogRow r : rows) {
            String v = r.values()[i];
            if (!ClickFeatures.missing(v)) {
                present++;
                try {
                    ClickFeatures.number(v, null, 0, "");
                    numbers++;
                } catch (IllegalArgumentException e) {
                    // not a number
                }
            }
        }
        return present > 0 && numbers * 2 >= present;
    }

    /** Running sums of the training rows. */
    private static final class Accumulator {
        final ClickLog log;
        final List<String> fields;
        final boolean[] numeric;
        final Transform[] transform;
        final FeatureOptions options;
        final long[] count;
        final double[] mean;
        final double[] m2;
        final List<Map<String, int[]>> counts = new ArrayList<>();
        final double[] parsed;
        long distinct;
        long trainRows;
        long kept;
        long positives;
        long skipped;
        String firstSkipped;

        Accumulator(ClickLog log, List<String> fields, boolean[] numeric, Transform[] transform, FeatureOptions options) {
            this.log = log;
            this.fields = fields;
            this.numeric = numeric;
            this.transform = transform;
            this.options = options;
            int n = fields.size();
            count = new long[n];
            mean = new double[n];
            m2 = new double[n];
            parsed = new double[n];
            for (int i = 0; i < n; i++) {
                counts.add(numeric[i] || options.hashBuckets() > 0 ? null : new HashMap<>());
            }
        }

        void add(LogRow r, Split split) {
            String[] v = r.values();
            // Parse every number first, so that a malformed row changes nothing.
            for (int i = 0; i < v.length; i++) {
                if (numeric[i]) {
                    try {
                        parsed[i] = ClickFeatures.missing(v[i]) ? Double.NaN
                                : ClickFeatures.transform(transform[i], ClickFeatures.number(v[i], log.file(), r.line(), fields.get(i)));
                    } catch (IllegalArgumentException e) {
                        if (!log.skipBadRows()) {
                            throw e;
                        }
                        skipped++;
                        if (firstSkipped == null) {
                            firstSkipped = e.getMessage();
                        }
                        return;
                    }
                }
            }
            trainRows++;
            if (r.label() == 1f) {
                positives++;
            }
            if (split.kept(r.line(), r.label())) {
                kept++;
            }
            for (int i = 0; i < v.length; i++) {
                if (numeric[i]) {
                    double x = parsed[i];
                    if (!Double.isNaN(x)) { // Welford's update, in double
                        count[i]++;
                        double d = x - mean[i];
                        mean[i] += d / count[i];
                        m2[i] += d * (x - mean[i]);
                    }
                } else if (counts.get(i) != null) {
                    String value = ClickFeatures.categoryValue(transform[i], v[i]);
                    int[] c = counts.get(i).get(value);
                    if (c == null) {
                        if (++distinct > options.maxDistinct()) {
                            throw new IllegalArgumentException(log.file() + " line " + r.line() + ": more than " + options.maxDistinct()
                                    + " distinct categorical values; hash them into a fixed number of ids instead (--hash-buckets, e.g. 1048576)");
                        }
                        counts.get(i).put(value, new int[] {1});
                    } else {
                        c[0]++;
                    }
                }
            }
        }

        ClickFeatures features(ClickLog log) {
            List<Numeric> nums = new ArrayList<>();
            List<Categorical> cats = new ArrayList<>();
            for (int i = 0; i < fields.size(); i++) {
                if (numeric[i]) {
                    double std = count[i] == 0 ? 1 : Math.sqrt(m2[i] / count[i]);
                    nums.add(new Numeric(fields.get(i), transform[i], mean[i], std > 0 && Double.isFinite(std) ? std : 1));
                } else {
                    List<String> vocabulary = new ArrayList<>();
                    if (counts.get(i) != null) {
                        TreeSet<String> keep = new TreeSet<>();
                        counts.get(i).forEach((k, c) -> {
                            if (c[0] >= options.minCount()) {
                                keep.add(k);
                            }
                        });
                        vocabulary.addAll(keep);
                    }
                    cats.add(new Categorical(fields.get(i), transform[i], vocabulary));
                }
            }
            String label = log.format() == LogFormat.CRITEO ? "label" : log.label();
            return new ClickFeatures(log.format(), label, fields, nums, cats, options.hashBuckets(), options.minCount());
        }
    }
}
