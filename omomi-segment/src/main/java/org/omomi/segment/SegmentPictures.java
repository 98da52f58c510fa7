package org.omomi.segment;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.omomi.explain.Pca;
import org.omomi.explain.plot.BarChart;
import org.omomi.explain.plot.LineChart;
import org.omomi.explain.plot.Overlay;
import org.omomi.explain.plot.ScatterChart;
import org.omomi.tensor.Tensor;

/** The pictures of a segmentation, drawn with omomi-explain's charts. */
public final class SegmentPictures {

    /** Customers drawn in the projection at most (an evenly spaced selection beyond that). */
    static final int PROJECTED = 5000;

    private SegmentPictures() {}

    /** Each feature's share of the distance, largest first, as horizontal bars. */
    public static BufferedImage weights(List<String> features, double[] weights, String title) {
        Integer[] order = new Integer[features.size()];
        for (int j = 0; j < order.length; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (a, b) -> Double.compare(weights[b], weights[a]));
        BarChart chart = new BarChart(title, "share of the squared distance between two customers");
        for (int j : order) {
            chart.bar(features.get(j), weights[j]);
        }
        return chart.render(820, Math.max(260, 90 + 22 * features.size()));
    }

    /**
     * The customers in the first two principal components of the space they were clustered in,
     * coloured by segment, each segment's centre a cross.
     */
    public static BufferedImage projection(Tensor space, int[] segments, Tensor centres, String title) {
        return projection(projectionPca(space), space, segments, centres, title);
    }

    /** The principal components the projection draws: the first two of the space (one when it has one column). */
    static Pca projectionPca(Tensor space) {
        return Pca.fit(space, Math.min(2, space.size(1)));
    }

    /** The customers drawn in the projection: all, or {@value #PROJECTED} evenly spaced beyond that (row indices, rising). */
    static int[] projected(int n) {
        int m = Math.min(n, PROJECTED);
        int[] rows = new int[m];
        for (int t = 0; t < m; t++) {
            rows[t] = (int) ((long) t * n / m);
        }
        return rows;
    }

    /** The projection in the components of {@code pca}. */
    static BufferedImage projection(Pca pca, Tensor space, int[] segments, Tensor centres, String title) {
        int k = centres.size(0);
        Tensor p = pca.project(space);
        Tensor pc = pca.project(centres);
        List<List<double[]>> groups = new ArrayList<>();
        for (int s = 0; s < k; s++) {
            groups.add(new ArrayList<>());
        }
        float[] pv = p.toArray();
        int dims = p.size(1);
        for (int i : projected(space.size(0))) {
            groups.get(segments[i]).add(new double[] {pv[i * dims], dims > 1 ? pv[i * dims + 1] : 0});
        }
        String xl = String.format(Locale.ROOT, "PC1 (%.0f%% of the variance)", 100 * pca.explained()[0]);
        String yl = dims > 1 ? String.format(Locale.ROOT, "PC2 (%.0f%%)", 100 * pca.explained()[1]) : "";
        ScatterChart chart = new ScatterChart(title, xl, yl);
        for (int s = 0; s < k; s++) {
            List<double[]> g = groups.get(s);
            double[] x = new double[g.size()];
            double[] y = new double[g.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = g.get(i)[0];
                y[i] = g.get(i)[1];
            }
            chart.group("segment " + s, x, y);
        }
        float[] cv = pc.toArray();
        for (int s = 0; s < k; s++) {
            chart.mark(cv[s * dims], dims > 1 ? cv[s * dims + 1] : 0, s);
        }
        return chart.render(820, 600);
    }

    /** The three criteria over k side by side, a grey line at each one's choice. */
    public static BufferedImage chooseK(KSelection s) {
        double[] ks = Arrays.stream(s.ks()).asDoubleStream().toArray();
        List<BufferedImage> panels = List.of(
                panel("silhouette (higher is better)", "silhouette", ks, s.silhouette(), s.bySilhouette(), 0),
                panel("inertia (the elbow)", "inertia Σ d²", ks, s.inertia(), s.byElbow(), 1),
                panel("Calinski–Harabasz (higher is better)", "variance ratio", ks, s.calinskiHarabasz(), s.byCalinskiHarabasz(), 2));
        return Overlay.panels(String.format(Locale.ROOT, "Choosing k: silhouette %d, elbow %d, Calinski–Harabasz %d (chosen: %d)",
                s.bySilhouette(), s.byElbow(), s.byCalinskiHarabasz(), s.chosen()), panels, null);
    }

    private static BufferedImage panel(String title, String yLabel, double[] ks, double[] v, int pick, int color) {
        double lo = Arrays.stream(v).filter(Double::isFinite).min().orElse(0);
        double hi = Arrays.stream(v).filter(Double::isFinite).max().orElse(1);
        return new LineChart(title, "k", yLabel)
                .guide(new double[] {pick, pick}, new double[] {lo, hi})
                .series("", ks, v, false, color)
                .markers(true)
                .render(420, 320);
    }

    /** Which features pulled one customer into its segment: the signed pull per feature, largest first. */
    public static BufferedImage customer(SegmentModel.Explanation e, String id) {
        double[] pull = e.pull();
        Integer[] order = new Integer[pull.length];
        for (int j = 0; j < order.length; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (a, b) -> Double.compare(pull[b], pull[a]));
        BarChart chart = new BarChart(String.format(Locale.ROOT, "Customer %s: segment %d rather than %d", id, e.segment(), e.nearestOther()),
                "contribution to d²(segment " + e.nearestOther() + ") − d²(segment " + e.segment() + ")").signed(true);
        for (int j : order) {
            chart.bar(e.features().get(j), pull[j]);
        }
        return chart.render(820, Math.max(260, 90 + 22 * pull.length));
    }
}
