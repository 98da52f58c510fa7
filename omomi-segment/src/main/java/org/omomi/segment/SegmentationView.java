package org.omomi.segment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.omomi.dashboard.Block;
import org.omomi.dashboard.RunFiles;
import org.omomi.dashboard.RunView;
import org.omomi.data.Csv;

/**
 * The dashboard's view of a segmentation's result folder ({@link SegmentFolder}: summary.json of
 * format {@value SegmentFolder#FORMAT}): the quality scores, the segments' profiles of
 * profiles.csv as tables (size, share and description; each feature's mean and spread by segment),
 * each feature's share of the distance from summary.json as bars, and the customers of
 * projection.csv as points in the first two principal components, coloured by segment. Reads the
 * folder's files only.
 *
 * <p>Found through {@code META-INF/services/org.omomi.dashboard.RunView}; omomi-segment depends on
 * omomi-dashboard optionally.
 */
public final class SegmentationView implements RunView {

    @Override
    public String id() {
        return "segments";
    }

    @Override
    public String title() {
        return "Segments: profiles, feature weights and projection";
    }

    @Override
    public boolean appliesTo(RunFiles run) {
        return SegmentFolder.FORMAT.equals(run.json("summary.json").get("format"));
    }

    @Override
    public List<Block> blocks(RunFiles run, Map<String, String> params) throws IOException {
        Map<String, Object> summary = run.json("summary.json");
        List<Block> out = new ArrayList<>();
        out.add(new Block.Text(about(summary)));
        profiles(run, out);
        weights(summary, out);
        projection(run, summary, out);
        return out;
    }

    private static String about(Map<String, Object> s) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s segments of %s customers (%s, %s scaling, %s metric).",
                whole(s.get("k")), whole(s.get("customers")), s.get("method"), s.get("scaling"), s.get("metric")));
        for (String[] q : new String[][] {{"silhouette", "silhouette"}, {"davies_bouldin", "Davies–Bouldin"},
                {"calinski_harabasz", "Calinski–Harabasz"}, {"ari", "ARI against the labels"}, {"nmi", "NMI"}}) {
            if (s.get(q[0]) instanceof Number n) {
                b.append(String.format(Locale.ROOT, " %s %.4g;", q[1], n.doubleValue()));
            }
        }
        return b.charAt(b.length() - 1) == ';' ? b.substring(0, b.length() - 1) + "." : b.toString();
    }

    /** A count read back from JSON (a double there) without its ".0". */
    private static Object whole(Object o) {
        return o instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) ? (Object) n.longValue() : o;
    }

    /** profiles.csv: segment, size, share, then "F mean" and "F std" per feature, description. */
    private static void profiles(RunFiles run, List<Block> out) throws IOException {
        Optional<Path> f = run.file("profiles.csv");
        if (f.isEmpty()) {
            out.add(new Block.Text("No profiles.csv in the folder."));
            return;
        }
        Csv.Table t = Csv.read(f.get());
        List<String> h = t.header();
        int description = h.indexOf("description");
        List<List<Object>> segments = new ArrayList<>();
        for (String[] r : t.rows()) {
            segments.add(List.of(number(r[0]), number(r[1]), number(r[2]), description < 0 ? "" : r[description]));
        }
        out.add(new Block.Table("The segments", List.of("segment", "customers", "share", "what sets it apart"), segments));
        List<String> columns = new ArrayList<>(List.of("feature"));
        for (String[] r : t.rows()) {
            columns.add("segment " + r[0] + " mean");
            columns.add("segment " + r[0] + " std");
        }
        List<List<Object>> features = new ArrayList<>();
        for (int c = 3; c + 1 < h.size() && h.get(c).endsWith(" mean"); c += 2) {
            List<Object> row = new ArrayList<>();
            row.add(h.get(c).substring(0, h.get(c).length() - " mean".length()));
            for (String[] r : t.rows()) {
                row.add(number(r[c]));
                row.add(number(r[c + 1]));
            }
            features.add(row);
        }
        out.add(new Block.Table("Each feature by segment: mean and standard deviation, in the data's units", columns, features));
    }

    private static void weights(Map<String, Object> summary, List<Block> out) {
        if (!(summary.get("feature_weights") instanceof Map<?, ?> w) || w.isEmpty()) {
            return;
        }
        List<Map.Entry<String, Double>> e = new ArrayList<>();
        w.forEach((k, v) -> e.add(Map.entry(String.valueOf(k), v instanceof Number n ? n.doubleValue() : Double.NaN)));
        e.sort(Comparator.comparingDouble((Map.Entry<String, Double> x) -> -x.getValue()));
        out.add(new Block.Bars("Feature weights: each feature's share of the squared distance between two customers (" + summary.get("method") + ")",
                e.stream().map(Map.Entry::getKey).toList(), e.stream().map(Map.Entry::getValue).toList(), "share of the distance"));
    }

    private static void projection(RunFiles run, Map<String, Object> summary, List<Block> out) throws IOException {
        Optional<Path> f = run.file(SegmentFolder.PROJECTION);
        if (f.isEmpty()) {
            out.add(new Block.Text("No " + SegmentFolder.PROJECTION + " (a folder from an older omomi): segment again for the projection's points."));
            if (run.has("projection.png")) {
                out.add(new Block.Picture("Customers by segment", "projection.png"));
            }
            return;
        }
        Csv.Table t = Csv.read(f.get());
        int seg = t.column("segment");
        int pc1 = t.column("pc1");
        int pc2 = t.column("pc2");
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<String> group = new ArrayList<>();
        for (String[] r : t.rows()) {
            x.add(number(r[pc1]));
            y.add(number(r[pc2]));
            group.add("segment " + r[seg]);
        }
        List<?> explained = summary.get("projection_explained") instanceof List<?> l ? l : List.of();
        out.add(new Block.Points("Customers by segment, in the first two principal components of the space clustered in ("
                + t.rows().size() + " customers)", axis("PC1", explained, 0), axis("PC2", explained, 1), x, y, group));
    }

    private static String axis(String name, List<?> explained, int i) {
        return i < explained.size() && explained.get(i) instanceof Number n
                ? String.format(Locale.ROOT, "%s (%.0f%% of the variance)", name, 100 * n.doubleValue()) : name;
    }

    private static double number(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
