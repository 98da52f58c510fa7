package org.omomi.recommend;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.omomi.explain.Pca;
import org.omomi.explain.plot.Png;
import org.omomi.explain.plot.ScatterChart;
import org.omomi.tensor.Tensor;

/**
 * The item vectors projected on their first two principal components, one dot per item,
 * coloured by the item's first genre — on generated data the planted group, so the picture shows
 * whether the model found the groups it was not told about. Up to 8 genres get their own colour
 * (the most common ones); the rest are "other".
 */
public final class ItemMap {

    /** What was drawn: each item's coordinates and the share of variance the two axes hold. */
    public record Result(double[][] coordinates, double[] explained, List<String> groups) {}

    private ItemMap() {}

    /** Renders the map of a run's items to a PNG file (written atomically by {@link Png}). */
    public static Result write(RecommendRun run, Path png, int width, int height) throws IOException {
        Factors f = run.factors();
        int n = f.itemCount();
        Tensor items = Tensor.wrap(f.items(), n, f.dim());
        Pca pca = Pca.fit(items, Math.min(2, f.dim()));
        double[][] coordinates = coordinates(pca.project(items));
        String[] label = new String[n];
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            List<String> g = run.catalog().genres(run.data().items().id(i));
            label[i] = g.isEmpty() ? "(none)" : g.get(0);
            counts.merge(label[i], 1, Integer::sum);
        }
        List<String> kept = counts.entrySet().stream().sorted((a, b) -> b.getValue() != a.getValue().intValue()
                ? Integer.compare(b.getValue(), a.getValue()) : a.getKey().compareTo(b.getKey()))
                .limit(counts.size() > 8 ? 7 : 8).map(Map.Entry::getKey).sorted(ItemMap::natural).toList();
        List<String> groups = new ArrayList<>(kept);
        if (counts.size() > kept.size()) {
            groups.add("other");
        }
        ScatterChart plot = new ScatterChart(String.format(Locale.ROOT, "item vectors of %s, PCA (%.0f%% + %.0f%% of the variance)",
                run.kind().id(), 100 * pca.explained()[0], 100 * (pca.explained().length > 1 ? pca.explained()[1] : 0)), "component 1", "component 2");
        for (String gname : groups) {
            List<double[]> pts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                boolean mine = gname.equals("other") ? !kept.contains(label[i]) : label[i].equals(gname);
                if (mine) {
                    pts.add(new double[] {coordinates[i][0], coordinates[i].length > 1 ? coordinates[i][1] : 0});
                }
            }
            plot.group(gname, pts.stream().mapToDouble(a -> a[0]).toArray(), pts.stream().mapToDouble(a -> a[1]).toArray());
        }
        BufferedImage img = plot.render(width, height);
        Png.write(img, png);
        return new Result(coordinates, pca.explained(), groups);
    }

    /** "group 2" before "group 10". */
    private static int natural(String a, String b) {
        String na = a.replaceAll("\\D+", "");
        String nb = b.replaceAll("\\D+", "");
        String pa = a.replaceAll("\\d+", "");
        String pb = b.replaceAll("\\d+", "");
        if (pa.equals(pb) && !na.isEmpty() && !nb.isEmpty() && na.length() < 10 && nb.length() < 10) {
            return Integer.compare(Integer.parseInt(na), Integer.parseInt(nb));
        }
        return a.compareTo(b);
    }

    /** The rows of a [n, m] projection as arrays. */
    private static double[][] coordinates(Tensor projected) {
        int n = projected.size(0);
        int m = projected.size(1);
        float[] v = projected.toArray();
        double[][] out = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < m; c++) {
                out[i][c] = v[i * m + c];
            }
        }
        return out;
    }
}
