package org.omomi.segment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.omomi.data.Csv;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * A whole segmentation of a customer table, as {@code omomi segment} runs it: read the columns
 * ({@link Schema}), scale the features ({@link Scaling}), choose the distance (plain, given weights,
 * feature weights learned by {@link FeatureWeightedKMeans}, or a {@link Metric} learned by
 * {@link MetricLearning} from labels or pairs), cluster in that space (k given, or chosen by
 * {@link KSelection}), then score, profile and weigh the result.
 *
 * <p>Segments are numbered by size, largest first (ties by the lower k-means label), so the same
 * data give the same numbers. With a label column the agreement (ARI, NMI) is measured on the
 * labelled customers the metric did not learn from: all of them when no metric was learned.
 */
public final class Segmenter {

    /** How the distance is chosen. */
    public enum Method {
        /** Euclidean on the scaled features, optionally with given weights. */
        KMEANS,
        /** Feature weights learned without labels (Huang et al. 2005). */
        LEARNED_WEIGHTS,
        /** A linear metric: NCA from labels, the contrastive loss from pairs. */
        NCA,
        /** A neural embedding: the triplet loss from labels, the contrastive loss from pairs. */
        TRIPLET;

        public String label() {
            return switch (this) {
                case KMEANS -> "kmeans";
                case LEARNED_WEIGHTS -> "learned-weights";
                case NCA -> "nca";
                case TRIPLET -> "triplet";
            };
        }
    }

    /**
     * @param k             segments, or null to choose among kMin … kMax ({@link KSelection#chosen})
     * @param kMin          the smallest k tried (default 2)
     * @param kMax          the largest k tried (default 10)
     * @param scaling       the scaling (default standard)
     * @param weights       given weights by column (all of its indicators) or feature name; others 1
     * @param method        how the distance is chosen (default plain k-means)
     * @param diagonal      NCA learns a diagonal metric rather than a full one
     * @param idColumn      the id column, or null to find it ({@link Schema})
     * @param labelColumn   a column of known segments, or null
     * @param labelFraction the share of labelled customers a metric learns from (default 0.2)
     * @param ignore        columns that are no features
     * @param categorical   columns to treat as categorical
     * @param restarts      k-means++ starts (default 10)
     * @param miniBatch     0 for Lloyd's iterations, else the mini-batch size (mini-batch k-means)
     * @param seed          the seed of every random choice
     */
    public record Options(Integer k, int kMin, int kMax, Scaling.Kind scaling, Map<String, Double> weights, Method method, boolean diagonal,
                          String idColumn, String labelColumn, double labelFraction, Set<String> ignore, Set<String> categorical,
                          int restarts, int miniBatch, long seed) {

        public Options {
            if (k != null && k < 1) {
                throw new IllegalArgumentException("k must be at least 1, got " + k);
            }
            if (!(labelFraction > 0 && labelFraction <= 1)) {
                throw new IllegalArgumentException("the label fraction must be in (0, 1], got " + labelFraction);
            }
            if (!weights.isEmpty() && method != Method.KMEANS) {
                throw new IllegalArgumentException("given weights and a learned distance do not combine: " + method.label()
                        + " learns its own weights");
            }
            if (restarts < 1 || miniBatch < 0) {
                throw new IllegalArgumentException("restarts must be at least 1 and the mini-batch size at least 0");
            }
            weights = Map.copyOf(weights);
            ignore = Set.copyOf(ignore);
            categorical = Set.copyOf(categorical);
        }

        /** The defaults: k chosen in 2 … 10, standard scaling, plain k-means, 10 restarts, seed 0. */
        public static Options defaults() {
            return new Options(null, 2, 10, Scaling.Kind.STANDARD, Map.of(), Method.KMEANS, false, null, null, 0.2, Set.of(), Set.of(), 10, 0, 0);
        }

        public Options withK(Integer v) {
            return new Options(v, kMin, kMax, scaling, weights, method, diagonal, idColumn, labelColumn, labelFraction, ignore, categorical,
                    restarts, miniBatch, seed);
        }

        public Options withMethod(Method v) {
            return new Options(k, kMin, kMax, scaling, weights, v, diagonal, idColumn, labelColumn, labelFraction, ignore, categorical,
                    restarts, miniBatch, seed);
        }

        public Options withLabels(String column, double fraction) {
            return new Options(k, kMin, kMax, scaling, weights, method, diagonal, idColumn, column, fraction, ignore, categorical,
                    restarts, miniBatch, seed);
        }

        public Options withScaling(Scaling.Kind v) {
            return new Options(k, kMin, kMax, v, weights, method, diagonal, idColumn, labelColumn, labelFraction, ignore, categorical,
                    restarts, miniBatch, seed);
        }

        public Options withWeights(Map<String, Double> v) {
            return new Options(k, kMin, kMax, scaling, v, method, diagonal, idColumn, labelColumn, labelFraction, ignore, categorical,
                    restarts, miniBatch, seed);
        }

        public Options withSeed(long v) {
            return new Options(k, kMin, kMax, scaling, weights, method, diagonal, idColumn, labelColumn, labelFraction, ignore, categorical,
                    restarts, miniBatch, v);
        }
    }

    /** Must-link / cannot-link pairs by customer id (or row number without an id column). */
    public record IdPairs(List<String> a, List<String> b, List<Boolean> mustLink, Csv.Table source) {

        /**
         * Reads a pairs CSV with the columns {@code a}, {@code b} (customer ids) and {@code link}
         * ({@code must} or {@code cannot}); errors name the file and line.
         */
        public static IdPairs read(Csv.Table t) {
            int ca = t.column("a");
            int cb = t.column("b");
            int cl = t.column("link");
            List<String> a = new ArrayList<>();
            List<String> b = new ArrayList<>();
            List<Boolean> must = new ArrayList<>();
            for (int r = 0; r < t.rows().size(); r++) {
                String[] row = t.rows().get(r);
                String link = row[cl].strip().toLowerCase(Locale.ROOT);
                if (!link.equals("must") && !link.equals("cannot")) {
                    throw new IllegalArgumentException(t.file() + " line " + t.lines()[r] + ", column 'link': '" + row[cl]
                            + "' is neither must nor cannot");
                }
                a.add(row[ca].strip());
                b.add(row[cb].strip());
                must.add(link.equals("must"));
            }
            if (a.isEmpty()) {
                throw new IllegalArgumentException(t.file() + ": no pairs");
            }
            return new IdPairs(a, b, must, t);
        }

        MetricLearning.Pairs rows(List<String> ids) {
            Map<String, Integer> at = new HashMap<>();
            for (int i = 0; i < ids.size(); i++) {
                at.put(ids.get(i), i);
            }
            int n = a.size();
            int[] ra = new int[n];
            int[] rb = new int[n];
            boolean[] m = new boolean[n];
            for (int i = 0; i < n; i++) {
                ra[i] = row(at, a.get(i), i);
                rb[i] = row(at, b.get(i), i);
                m[i] = mustLink.get(i);
                if (ra[i] == rb[i]) {
                    throw new IllegalArgumentException(source.file() + " line " + source.lines()[i] + ": a customer paired with itself");
                }
            }
            return new MetricLearning.Pairs(ra, rb, m);
        }

        private int row(Map<String, Integer> at, String id, int i) {
            Integer r = at.get(id);
            if (r == null) {
                throw new IllegalArgumentException(source.file() + " line " + source.lines()[i] + ": no customer '" + id + "' in the data");
            }
            return r;
        }
    }

    /** Silhouette (sampled above {@link Quality#SILHOUETTE_SAMPLE} customers), Davies–Bouldin and Calinski–Harabasz in the clustering's space; ARI and NMI (null without labels) on {@code evaluated} customers. */
    public record Scores(double silhouette, double daviesBouldin, double calinskiHarabasz, Double ari, Double nmi, int evaluated) {}

    /**
     * The outcome.
     *
     * @param options        what was asked
     * @param model          what assign needs
     * @param customers      the customers as read
     * @param scaled         [n, d], their scaled features
     * @param space          [n, e], where they were clustered
     * @param clustering     the segments (numbered by size) in that space
     * @param selection      the criteria over k, or null when k was given
     * @param scores         quality and agreement
     * @param featureWeights each feature's share of the distance ({@link Metric#featureWeights})
     * @param givenWeights   the weights asked for, per feature (null if none)
     * @param learnedWeights W-k-means's weights (null unless learned)
     * @param profiles       one per segment
     * @param truth          the label column's values per customer (null without one; unlabelled customers null)
     * @param learnedFrom    the rows the metric learned from (empty if none)
     */
    public record Result(Options options, SegmentModel model, Customers customers, Tensor scaled, Tensor space, Clustering clustering,
                         KSelection selection, Scores scores, double[] featureWeights, double[] givenWeights, double[] learnedWeights,
                         List<Profile> profiles, List<String> truth, int[] learnedFrom) {

        /** The number of segments. */
        public int k() {
            return clustering.k();
        }

        /** Each customer's segment. */
        public int[] segments() {
            return clustering.labels();
        }
    }

    private Segmenter() {}

    /** Segments a customer table; {@code pairs} (may be null) supervise a learned metric instead of labels. */
    public static Result run(Csv.Table table, Options o, IdPairs pairs) {
        Rng rng = new Rng(o.seed());
        Set<String> ignore = new LinkedHashSet<>(o.ignore());
        if (o.labelColumn() != null) {
            table.column(o.labelColumn());
            ignore.add(o.labelColumn());
        }
        Schema schema = Schema.fit(table, o.idColumn(), ignore, o.categorical());
        Customers customers = schema.encode(table);
        int n = customers.size();
        List<String> features = customers.features();
        Scaling scaling = Scaling.fit(o.scaling(), customers.values(), schema.indicators(), features);
        Tensor scaled = scaling.apply(customers.values(), features);

        List<String> truth = o.labelColumn() == null ? null : labels(table, o.labelColumn());
        int[] truthIds = truth == null ? null : ids(truth);
        boolean learning = o.method() == Method.NCA || o.method() == Method.TRIPLET;
        if (learning && truth == null && pairs == null) {
            throw new IllegalArgumentException("learning a metric (" + o.method().label() + ") needs a label column or must-link / cannot-link pairs");
        }
        if (o.method() == Method.LEARNED_WEIGHTS && o.k() == null) {
            throw new IllegalArgumentException("learning feature weights needs a given k");
        }

        double[] given = null;
        double[] learnedWeights = null;
        int[] learnedFrom = new int[0];
        Metric metric;
        Clustering huang = null;
        Rng learnRng = rng.split();
        Rng clusterRng = rng.split();
        switch (o.method()) {
            case KMEANS -> {
                if (o.weights().isEmpty()) {
                    metric = Metric.identity(features.size());
                } else {
                    given = weightVector(o.weights(), features, schema.sourceColumns());
                    metric = Metric.weighted(given);
                }
            }
            case LEARNED_WEIGHTS -> {
                FeatureWeightedKMeans.Result r = FeatureWeightedKMeans.fit(scaled,
                        new FeatureWeightedKMeans.Options(o.k(), o.restarts(), 100, FeatureWeightedKMeans.BETA), clusterRng);
                metric = r.metric();
                learnedWeights = r.weights();
                huang = r.clustering();
            }
            default -> {
                if (pairs != null) {
                    MetricLearning.Pairs p = pairs.rows(customers.ids());
                    learnedFrom = p.rows();
                    Metric start = o.method() == Method.NCA
                            ? (o.diagonal() ? Metric.diagonal(features.size()) : Metric.linear(features.size()))
                            : Metric.mlp(features.size(), Metric.HIDDEN, Metric.EMBEDDING, learnRng.split());
                    metric = MetricLearning.contrastive(start, scaled, p, MetricLearning.Options.contrastive(), learnRng);
                } else {
                    learnedFrom = learningRows(truthIds, o.labelFraction(), learnRng.split());
                    Tensor xs = scaled.indexSelect(0, learnedFrom);
                    int[] ys = Arrays.stream(learnedFrom).map(i -> truthIds[i]).toArray();
                    metric = o.method() == Method.NCA
                            ? MetricLearning.nca(xs, ys, o.diagonal(), MetricLearning.Options.nca(), learnRng)
                            : MetricLearning.triplet(xs, ys, MetricLearning.Options.triplet(), learnRng);
                }
            }
        }
        Tensor space = metric.embed(scaled);

        KSelection selection = null;
        Clustering clustering;
        KMeans.Options km = new KMeans.Options(o.k() == null ? 2 : o.k(), o.restarts(), 300);
        if (huang != null) {
            clustering = huang;
        } else if (o.k() == null) {
            int kMax = Math.min(o.kMax(), n - 1);
            selection = KSelection.run(space, o.kMin(), kMax, km, clusterRng);
            clustering = selection.clustering(selection.chosen());
        } else if (o.miniBatch() > 0) {
            clustering = KMeans.miniBatch(space, km, o.miniBatch(), Math.max(100, 3 * n / o.miniBatch()), clusterRng);
        } else {
            clustering = KMeans.fit(space, km, clusterRng);
        }
        clustering = bySize(clustering);
        int k = clustering.k();
        int[] seg = clustering.labels();

        Scores scores = scores(space, seg, truthIds, learnedFrom, clusterRng.split());
        double[] weights = metric.featureWeights(scaled);
        List<Profile> profiles = Profile.of(customers, schema.indicators(), seg, k);
        Tensor inputCentres = Tensor.wrap(toFloat(Quality.centroids(KMeans.Points.of(scaled), seg, k)), k, features.size());
        SegmentModel model = new SegmentModel(schema, scaling, metric, clustering.centres(), inputCentres);
        return new Result(o, model, customers, scaled, space, clustering, selection, scores, weights, given, learnedWeights, profiles, truth,
                learnedFrom);
    }

    private static Scores scores(Tensor space, int[] seg, int[] truth, int[] learnedFrom, Rng rng) {
        int k = Arrays.stream(seg).max().getAsInt() + 1;
        double sil = Double.NaN;
        double db = Double.NaN;
        double ch = Double.NaN;
        if (k >= 2 && k < seg.length) {
            sil = Quality.silhouette(space, seg, Quality.SILHOUETTE_SAMPLE, rng);
            db = Quality.daviesBouldin(space, seg);
            ch = Quality.calinskiHarabasz(space, seg);
        }
        if (truth == null) {
            return new Scores(sil, db, ch, null, null, 0);
        }
        boolean[] learned = new boolean[seg.length];
        for (int i : learnedFrom) {
            learned[i] = true;
        }
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < seg.length; i++) {
            if (truth[i] >= 0 && !learned[i]) {
                rows.add(i);
            }
        }
        if (rows.isEmpty()) {
            return new Scores(sil, db, ch, null, null, 0);
        }
        int[] t = rows.stream().mapToInt(i -> truth[i]).toArray();
        int[] p = rows.stream().mapToInt(i -> seg[i]).toArray();
        return new Scores(sil, db, ch, Agreement.adjustedRandIndex(t, p), Agreement.normalizedMutualInfo(t, p), rows.size());
    }

    /** A seeded share of the labelled rows (at least two, and of at least two labels), sorted. */
    static int[] learningRows(int[] truth, double fraction, Rng rng) {
        List<Integer> labelled = new ArrayList<>();
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] >= 0) {
                labelled.add(i);
            }
        }
        int m = (int) Math.max(2, Math.round(fraction * labelled.size()));
        if (labelled.size() < 2) {
            throw new IllegalArgumentException("learning a metric needs at least two labelled customers, got " + labelled.size());
        }
        int[] perm = rng.permutation(labelled.size());
        int[] rows = new int[Math.min(m, labelled.size())];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = labelled.get(perm[i]);
        }
        Arrays.sort(rows);
        if (Arrays.stream(rows).map(i -> truth[i]).distinct().count() < 2) {
            throw new IllegalArgumentException("the " + rows.length + " customers drawn to learn from have a single label; raise the label fraction");
        }
        return rows;
    }

    /** The label column's values, null where missing. */
    static List<String> labels(Csv.Table table, String column) {
        int c = table.column(column);
        List<String> out = new ArrayList<>();
        for (String[] row : table.rows()) {
            out.add(Csv.isMissing(row[c]) ? null : row[c].strip());
        }
        return out;
    }

    /** Labels as 0 … m−1 in sorted order of their values, −1 where missing. */
    static int[] ids(List<String> labels) {
        TreeSet<String> values = new TreeSet<>();
        for (String l : labels) {
            if (l != null) {
                values.add(l);
            }
        }
        List<String> sorted = new ArrayList<>(values);
        return labels.stream().mapToInt(l -> l == null ? -1 : sorted.indexOf(l)).toArray();
    }

    /** Given weights per feature: a column's weight goes to all its indicators; a feature's name wins over its column's. */
    static double[] weightVector(Map<String, Double> given, List<String> features, List<String> columns) {
        double[] w = new double[features.size()];
        Arrays.fill(w, 1);
        Set<String> known = new LinkedHashSet<>(columns);
        known.addAll(features);
        for (Map.Entry<String, Double> e : new LinkedHashMap<>(given).entrySet()) {
            if (!known.contains(e.getKey())) {
                throw new IllegalArgumentException("--weights: no feature or column '" + e.getKey() + "'; there are " + String.join(", ", known));
            }
            if (!(e.getValue() >= 0) || !Double.isFinite(e.getValue())) {
                throw new IllegalArgumentException("--weights: " + e.getKey() + " must have a weight ≥ 0, got " + e.getValue());
            }
        }
        for (int j = 0; j < w.length; j++) {
            Double byFeature = given.get(features.get(j));
            Double byColumn = given.get(columns.get(j));
            w[j] = byFeature != null ? byFeature : byColumn != null ? byColumn : 1;
        }
        if (Arrays.stream(w).allMatch(v -> v == 0)) {
            throw new IllegalArgumentException("--weights: every feature has weight 0");
        }
        return w;
    }

    /** The clustering with segments renumbered by size, largest first (ties: the lower label first). */
    static Clustering bySize(Clustering c) {
        int k = c.k();
        int[] sizes = c.sizes();
        Integer[] order = new Integer[k];
        for (int i = 0; i < k; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> sizes[a] != sizes[b] ? Integer.compare(sizes[b], sizes[a]) : Integer.compare(a, b));
        int[] rank = new int[k];
        for (int i = 0; i < k; i++) {
            rank[order[i]] = i;
        }
        int[] labels = Arrays.stream(c.labels()).map(l -> rank[l]).toArray();
        int e = c.centres().size(1);
        float[] old = c.centres().toArray();
        float[] centres = new float[old.length];
        for (int i = 0; i < k; i++) {
            System.arraycopy(old, order[i] * e, centres, i * e, e);
        }
        return new Clustering(Tensor.wrap(centres, k, e), labels, c.distances(), c.inertia(), c.iterations(), c.converged());
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
