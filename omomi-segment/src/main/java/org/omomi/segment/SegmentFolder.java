package org.omomi.segment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.omomi.data.Csv;
import org.omomi.explain.Pca;
import org.omomi.explain.plot.Png;
import org.omomi.io.AtomicFile;
import org.omomi.io.Json;
import org.omomi.tensor.Tensor;

/**
 * A segmentation's result folder, every file written atomically:
 * <ul>
 * <li>{@code segments.csv}: the id column (or {@code row}), {@code segment}, {@code distance} (to the
 *     segment's centre, in the space clustered in);</li>
 * <li>{@code summary.json} (format {@value #FORMAT}): k, the quality scores, the feature weights,
 *     the criteria over k, the profiles;</li>
 * <li>{@code profiles.csv}: per segment its size, share, and each feature's mean and spread;</li>
 * <li>{@code projection.csv}: id (or {@code row}), {@code segment}, {@code pc1}, {@code pc2}: the customers of
 *     projection.png (all, or 5,000 evenly spaced) in the first two principal components;</li>
 * <li>{@code model.json}: what {@code assign} reads ({@link SegmentModel});</li>
 * <li>{@code weights.png}, {@code projection.png}, and {@code choose-k.png} when k was chosen.</li>
 * </ul>
 */
public final class SegmentFolder {

    /** The value of summary.json's "format" key. */
    public static final String FORMAT = "omomi.segment/1";

    /** The value of summary.json's "kind" key: the dashboard's name for a segmentation folder. */
    public static final String KIND = "segment";

    /** The projection's coordinates. */
    public static final String PROJECTION = "projection.csv";

    private SegmentFolder() {}

    /** Writes the folder (created if missing); returns the files written, in order. */
    public static List<Path> write(Path dir, Segmenter.Result r, String dataName) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        Path segments = dir.resolve("segments.csv");
        writeSegments(segments, r.model().schema().idColumn(), r.customers().ids(), r.segments(), r.clustering().distances());
        written.add(segments);
        Path profiles = dir.resolve("profiles.csv");
        AtomicFile.writeString(profiles, profilesCsv(r));
        written.add(profiles);
        r.model().write(dir);
        written.add(dir.resolve(SegmentModel.FILE));
        Path weights = dir.resolve("weights.png");
        Png.write(SegmentPictures.weights(r.customers().features(), r.featureWeights(), "Feature weights (" + r.options().method().label() + ")"), weights);
        written.add(weights);
        Pca pca = SegmentPictures.projectionPca(r.space());
        Path coordinates = dir.resolve(PROJECTION);
        writeProjection(coordinates, r.model().schema().idColumn(), r.customers().ids(), r.segments(), pca.project(r.space()));
        written.add(coordinates);
        Path projection = dir.resolve("projection.png");
        Png.write(SegmentPictures.projection(pca, r.space(), r.segments(), r.clustering().centres(),
                "Customers by segment, " + (r.space() == r.scaled() ? "scaled features" : "in the " + r.model().metric().kind() + " metric's space")),
                projection);
        written.add(projection);
        if (r.selection() != null) {
            Path k = dir.resolve("choose-k.png");
            Png.write(SegmentPictures.chooseK(r.selection()), k);
            written.add(k);
        }
        Path summary = dir.resolve("summary.json");
        List<String> files = new ArrayList<>();
        for (Path p : written) {
            files.add(p.getFileName().toString());
        }
        files.add("summary.json");
        Map<String, Object> content = summary(r, dataName, files);
        content.put("projection_explained", list(pca.explained()));
        AtomicFile.writeString(summary, Json.write(content) + "\n");
        written.add(summary);
        return written;
    }

    /**
     * projection.csv: id (or row), segment, pc1, pc2 — the customers the projection picture draws
     * (all, or 5,000 evenly spaced) in the first two principal components of the space clustered in.
     */
    static void writeProjection(Path file, String idColumn, List<String> ids, int[] segments, Tensor projected) throws IOException {
        float[] p = projected.contiguous().toArray();
        int dims = projected.size(1);
        List<String[]> rows = new ArrayList<>();
        for (int i : SegmentPictures.projected(ids.size())) {
            rows.add(new String[] {ids.get(i), Integer.toString(segments[i]), Float.toString(p[i * dims]),
                    dims > 1 ? Float.toString(p[i * dims + 1]) : "0"});
        }
        AtomicFile.writeString(file, Csv.format(List.of(idColumn == null ? "row" : idColumn, "segment", "pc1", "pc2"), rows));
    }

    /** segments.csv: id (or row), segment, distance. */
    public static void writeSegments(Path file, String idColumn, List<String> ids, int[] segments, double[] distances) throws IOException {
        List<String[]> rows = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            rows.add(new String[] {ids.get(i), Integer.toString(segments[i]), String.format(Locale.ROOT, "%.6g", distances[i])});
        }
        AtomicFile.writeString(file, Csv.format(List.of(idColumn == null ? "row" : idColumn, "segment", "distance"), rows));
    }

    /** One customer's explanation: DIR/customer-ID.json and .png (the id made safe for a file name). */
    public static List<Path> writeExplanation(Path dir, String id, SegmentModel.Explanation e) throws IOException {
        String stem = "customer-" + id.replaceAll("[^A-Za-z0-9._-]", "_");
        Path json = dir.resolve(stem + ".json");
        AtomicFile.writeString(json, Json.write(e.toJson(id)) + "\n");
        Path png = dir.resolve(stem + ".png");
        Png.write(SegmentPictures.customer(e, id), png);
        return List.of(json, png);
    }

    static Map<String, Object> summary(Segmenter.Result r, String dataName, List<String> files) {
        Segmenter.Options o = r.options();
        List<String> features = r.customers().features();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("kind", KIND);
        m.put("data", dataName);
        m.put("customers", (long) r.customers().size());
        m.put("id_column", r.model().schema().idColumn());
        m.put("features", features);
        m.put("scaling", o.scaling().label());
        m.put("method", o.method().label());
        m.put("metric", r.model().metric().kind());
        m.put("seed", o.seed());
        m.put("k_requested", o.k() == null ? "auto" : (Object) (long) o.k());
        m.put("k", (long) r.k());
        m.put("silhouette", finite(r.scores().silhouette()));
        m.put("silhouette_sample", (long) Math.min(r.customers().size(), Quality.SILHOUETTE_SAMPLE));
        m.put("davies_bouldin", finite(r.scores().daviesBouldin()));
        m.put("calinski_harabasz", finite(r.scores().calinskiHarabasz()));
        m.put("inertia", r.clustering().inertia());
        if (o.labelColumn() != null) {
            m.put("label_column", o.labelColumn());
        }
        if (r.scores().ari() != null) {
            m.put("ari", r.scores().ari());
            m.put("nmi", r.scores().nmi());
            m.put("evaluated_customers", (long) r.scores().evaluated());
            m.put("evaluated_on", r.learnedFrom().length > 0 ? "labelled customers the metric did not learn from" : "all labelled customers");
        }
        if (r.learnedFrom().length > 0) {
            m.put("learned_from_customers", (long) r.learnedFrom().length);
        }
        m.put("feature_weights", byFeature(features, r.featureWeights()));
        if (r.givenWeights() != null) {
            m.put("given_weights", byFeature(features, r.givenWeights()));
        }
        if (r.learnedWeights() != null) {
            m.put("learned_weights", byFeature(features, r.learnedWeights()));
            m.put("beta", FeatureWeightedKMeans.BETA);
        }
        if (r.selection() != null) {
            KSelection s = r.selection();
            Map<String, Object> k = new LinkedHashMap<>();
            List<Object> ks = new ArrayList<>();
            for (int v : s.ks()) {
                ks.add((long) v);
            }
            k.put("k", ks);
            k.put("inertia", list(s.inertia()));
            k.put("silhouette", list(s.silhouette()));
            k.put("calinski_harabasz", list(s.calinskiHarabasz()));
            k.put("by_silhouette", (long) s.bySilhouette());
            k.put("by_elbow", (long) s.byElbow());
            k.put("by_calinski_harabasz", (long) s.byCalinskiHarabasz());
            k.put("chosen", (long) s.chosen());
            List<Object> by = new ArrayList<>();
            if (s.bySilhouette() == s.chosen()) {
                by.add("silhouette");
            }
            if (s.byElbow() == s.chosen()) {
                by.add("elbow");
            }
            if (s.byCalinskiHarabasz() == s.chosen()) {
                by.add("calinski_harabasz");
            }
            k.put("chosen_by", by);
            m.put("choose_k", k);
        }
        List<Object> segs = new ArrayList<>();
        for (Profile p : r.profiles()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("segment", (long) p.segment());
            s.put("size", (long) p.size());
            s.put("share", p.share());
            s.put("description", p.description());
            List<Object> diffs = new ArrayList<>();
            for (Profile.Difference d : p.distinctive()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("feature", d.feature());
                x.put("segment_mean", d.segmentMean());
                x.put("rest_mean", d.restMean());
                x.put("standardised_difference", d.standardised());
                diffs.add(x);
            }
            s.put("distinctive", diffs);
            s.put("mean", byFeature(features, p.mean()));
            s.put("std", byFeature(features, p.std()));
            segs.add(s);
        }
        m.put("segments", segs);
        m.put("files", files);
        return m;
    }

    static String profilesCsv(Segmenter.Result r) {
        List<String> features = r.customers().features();
        List<String> header = new ArrayList<>(List.of("segment", "size", "share"));
        for (String f : features) {
            header.add(f + " mean");
            header.add(f + " std");
        }
        header.add("description");
        List<String[]> rows = new ArrayList<>();
        for (Profile p : r.profiles()) {
            List<String> row = new ArrayList<>(List.of(Integer.toString(p.segment()), Integer.toString(p.size()),
                    String.format(Locale.ROOT, "%.4f", p.share())));
            for (int j = 0; j < features.size(); j++) {
                row.add(String.format(Locale.ROOT, "%.6g", p.mean()[j]));
                row.add(String.format(Locale.ROOT, "%.6g", p.std()[j]));
            }
            row.add(p.description());
            rows.add(row.toArray(new String[0]));
        }
        return Csv.format(header, rows);
    }

    /** A number, or null (JSON has no NaN) where it is undefined, as the silhouette of one segment. */
    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static Map<String, Object> byFeature(List<String> features, double[] v) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int j = 0; j < features.size(); j++) {
            m.put(features.get(j), v[j]);
        }
        return m;
    }

    private static List<Object> list(double[] v) {
        List<Object> out = new ArrayList<>();
        for (double d : v) {
            out.add(d);
        }
        return out;
    }
}
