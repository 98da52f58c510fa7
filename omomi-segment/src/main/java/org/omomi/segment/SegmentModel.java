package org.omomi.segment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.data.Csv;
import org.omomi.io.AtomicFile;
import org.omomi.io.Json;
import org.omomi.tensor.Tensor;

/**
 * Everything needed to put a customer into a segment: how the table is read, how the features
 * are scaled, the metric, and the centres. Saved as {@code model.json} (format
 * {@value #FORMAT}) in a segmentation's folder; {@code omomi segment assign} reads it.
 *
 * @param schema       the columns
 * @param scaling      the scaling of the features
 * @param metric       the map into the space k-means ran in
 * @param centres      [k, e], the segments' centres in that space
 * @param inputCentres [k, d], the segments' members' means in scaled feature space: the baselines of
 *                     {@linkplain Contributions contributions}
 */
public record SegmentModel(Schema schema, Scaling scaling, Metric metric, Tensor centres, Tensor inputCentres) {

    /** The value of model.json's "format" key. */
    public static final String FORMAT = "omomi.segment.model/1";
    /** The file name in a segmentation's folder. */
    public static final String FILE = "model.json";

    /** The number of segments. */
    public int k() {
        return centres.size(0);
    }

    /** New customers, each put into its nearest segment. */
    public record Assignment(Customers customers, Tensor scaled, Tensor space, int[] segments, double[] distances) {}

    /** Reads, scales and places every row of {@code table}. */
    public Assignment assign(Csv.Table table) {
        Customers c = schema.encode(table);
        Tensor scaled = scaling.apply(c.values(), c.features());
        Tensor space = metric.embed(scaled);
        int[] segments = KMeans.nearest(space, centres);
        double[] distances = distances(space, segments);
        return new Assignment(c, scaled, space, segments, distances);
    }

    /** Each row's Euclidean distance to the centre of its segment. */
    double[] distances(Tensor space, int[] segments) {
        int e = centres.size(1);
        float[] s = space.contiguous().toArray();
        float[] c = centres.toArray();
        double[] out = new double[segments.length];
        for (int i = 0; i < out.length; i++) {
            double d2 = 0;
            for (int j = 0; j < e; j++) {
                double a = s[i * e + j] - c[segments[i] * e + j];
                d2 += a * a;
            }
            out[i] = Math.sqrt(d2);
        }
        return out;
    }

    /**
     * Why one customer (scaled features [1, d]) is in its segment: each feature's contribution to
     * the squared distance to its own centre and to the nearest other centre; the difference
     * (other − own), summed over the features, is the margin d²(other) − d²(own) ≥ 0 by which the
     * customer is nearer its own segment, so the features with a large positive difference are
     * the ones that pulled it in.
     */
    public Explanation explain(Tensor scaled, List<String> features) {
        Tensor z = metric.embed(scaled);
        int own = KMeans.nearest(z, centres)[0];
        int other = -1;
        double ownD2 = 0;
        double otherD2 = Double.POSITIVE_INFINITY;
        float[] zv = z.toArray();
        float[] cv = centres.toArray();
        int e = centres.size(1);
        for (int c = 0; c < k(); c++) {
            double d2 = 0;
            for (int j = 0; j < e; j++) {
                double a = zv[j] - cv[c * e + j];
                d2 += a * a;
            }
            if (c == own) {
                ownD2 = d2;
            } else if (d2 < otherD2) {
                otherD2 = d2;
                other = c;
            }
        }
        if (other < 0) {
            throw new IllegalArgumentException("explaining a segment needs at least two segments");
        }
        double[] toOwn = Contributions.of(metric, scaled, inputCentres.slice(0, own, own + 1).contiguous(),
                centres.slice(0, own, own + 1).contiguous())[0];
        double[] toOther = Contributions.of(metric, scaled, inputCentres.slice(0, other, other + 1).contiguous(),
                centres.slice(0, other, other + 1).contiguous())[0];
        return new Explanation(own, other, ownD2, otherD2, List.copyOf(features), toOwn, toOther);
    }

    /**
     * One customer's place: its segment and the nearest other, the squared distances to both
     * centres, and each feature's contributions to them.
     */
    public record Explanation(int segment, int nearestOther, double squaredDistance, double otherSquaredDistance, List<String> features,
                              double[] toOwn, double[] toOther) {

        /** Per feature: contribution to d²(other) − contribution to d²(own). */
        public double[] pull() {
            double[] p = new double[toOwn.length];
            for (int j = 0; j < p.length; j++) {
                p[j] = toOther[j] - toOwn[j];
            }
            return p;
        }

        /**
         * Σ toOwn − d²(own): how far the contributions to the own centre fall short of the squared
         * distance. 0 (up to rounding) for a linear metric, whose centre is the image of its
         * members' mean; small for the neural embedding, whose centre is not, and whose ReLU
         * kinks cost the quadrature a little.
         */
        public double delta() {
            double s = 0;
            for (double v : toOwn) {
                s += v;
            }
            return s - squaredDistance;
        }

        public Map<String, Object> toJson(String id) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("format", "omomi.segment.customer/1");
            m.put("customer", id);
            m.put("segment", (long) segment);
            m.put("nearest_other_segment", (long) nearestOther);
            m.put("squared_distance", squaredDistance);
            m.put("other_squared_distance", otherSquaredDistance);
            m.put("margin", otherSquaredDistance - squaredDistance);
            m.put("delta", delta());
            List<Object> rows = new ArrayList<>();
            double[] pull = pull();
            Integer[] order = new Integer[pull.length];
            for (int j = 0; j < order.length; j++) {
                order[j] = j;
            }
            java.util.Arrays.sort(order, (a, b) -> Double.compare(pull[b], pull[a]));
            for (int j : order) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("feature", features.get(j));
                r.put("to_own", toOwn[j]);
                r.put("to_other", toOther[j]);
                r.put("pull", pull[j]);
                rows.add(r);
            }
            m.put("features", rows);
            return m;
        }
    }

    // ------------------------------------------------------------------ files

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("schema", schema.toJson());
        m.put("features", schema.features());
        m.put("scaling", scaling.toJson());
        m.put("metric", metric.toJson());
        m.put("k", (long) k());
        m.put("centres", tensorJson(centres));
        m.put("input_centres", tensorJson(inputCentres));
        return m;
    }

    public static SegmentModel fromJson(Map<String, Object> json) {
        String format = JsonFields.string(json, "format");
        if (!format.equals(FORMAT)) {
            throw new IllegalArgumentException("format " + org.omomi.io.JsonFields.describe(format) + " is not " + FORMAT);
        }
        return new SegmentModel(Schema.fromJson(JsonFields.object(json, "schema")), Scaling.fromJson(JsonFields.object(json, "scaling")),
                Metric.fromJson(JsonFields.object(json, "metric")), tensor(JsonFields.object(json, "centres")),
                tensor(JsonFields.object(json, "input_centres")));
    }

    /** Writes DIR/model.json atomically. */
    public void write(Path dir) throws IOException {
        AtomicFile.writeString(dir.resolve(FILE), Json.write(toJson()) + "\n");
    }

    /** Reads DIR/model.json; errors name the file. */
    public static SegmentModel read(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            throw new NoSuchFileException(f.toString(), null, Files.isDirectory(dir) ? "not a segmentation folder (no " + FILE + ")" : null);
        }
        Map<String, Object> json = Json.readObject(f);
        try {
            return fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(f + ": " + e.getMessage(), e);
        }
    }

    static Map<String, Object> tensorJson(Tensor t) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> shape = new ArrayList<>();
        for (int s : t.shape()) {
            shape.add((long) s);
        }
        m.put("shape", shape);
        m.put("values", t.toArray());
        return m;
    }

    static Tensor tensor(Map<String, Object> json) {
        return Tensor.of(JsonFields.floats(json, "values"), JsonFields.ints(json, "shape"));
    }
}
