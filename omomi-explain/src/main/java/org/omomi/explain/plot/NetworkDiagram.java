package org.omomi.explain.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A small dense network drawn as a graph: a column of circles per layer and an edge per weight, red
 * for positive and blue for negative, its width 1 to 8 pixels in proportion to |w| / max |w| and its
 * opacity growing the same way, so the few strong connections stand out and near-zero ones fade.
 * Strong edges are drawn last, on top. Zero and NaN weights have no edge.
 *
 * <p>{@code weights.get(l)} is the [out][in] matrix between layer l and l + 1, PyTorch's layout for
 * {@code Linear.weight} (and omomi's {@code Dense}). Beyond 64 neurons in a layer the edges become
 * a grey blur, so such networks are refused.
 */
public final class NetworkDiagram {

    /** The most neurons a layer may have. */
    static final int MAX_NEURONS = 64;
    static final Color POSITIVE = new Color(Colormap.diverging(1));
    static final Color NEGATIVE = new Color(Colormap.diverging(-1));

    private final String title;
    private final List<float[][]> weights;
    private final int[] sizes;
    private List<String> inputNames;
    private List<String> outputNames;

    public NetworkDiagram(String title, List<float[][]> weights) {
        if (weights == null || weights.isEmpty()) {
            throw new IllegalArgumentException("a network diagram needs at least one weight matrix");
        }
        int[] sizes = new int[weights.size() + 1];
        List<float[][]> copy = new ArrayList<>();
        for (int l = 0; l < weights.size(); l++) {
            float[][] m = weights.get(l);
            if (m == null || m.length == 0 || m[0] == null || m[0].length == 0) {
                throw new IllegalArgumentException("weights[" + l + "] must be a non-empty [out][in] matrix");
            }
            int in = m[0].length;
            float[][] mc = new float[m.length][];
            for (int o = 0; o < m.length; o++) {
                if (m[o] == null || m[o].length != in) {
                    throw new IllegalArgumentException("weights[" + l + "] row " + o + " has "
                            + (m[o] == null ? "no" : m[o].length) + " values, but row 0 has " + in);
                }
                mc[o] = m[o].clone();
            }
            if (l > 0 && in != sizes[l]) {
                throw new IllegalArgumentException("weights[" + l + "] has " + in + " inputs, but weights["
                        + (l - 1) + "] has " + sizes[l] + " outputs");
            }
            sizes[l] = in;
            sizes[l + 1] = m.length;
            copy.add(mc);
        }
        for (int l = 0; l < sizes.length; l++) {
            if (sizes[l] > MAX_NEURONS) {
                throw new IllegalArgumentException("layer " + l + " has " + sizes[l]
                        + " neurons; a network diagram draws at most " + MAX_NEURONS + " per layer");
            }
        }
        this.title = title;
        this.weights = copy;
        this.sizes = sizes;
    }

    /** Names written left of the input neurons, one per input. */
    public NetworkDiagram inputNames(List<String> names) {
        inputNames = names(names, sizes[0], "inputNames", "inputs");
        return this;
    }

    /** Names written right of the output neurons, one per output. */
    public NetworkDiagram outputNames(List<String> names) {
        outputNames = names(names, sizes[sizes.length - 1], "outputNames", "outputs");
        return this;
    }

    private static List<String> names(List<String> names, int n, String what, String of) {
        if (names != null && names.size() != n) {
            throw new IllegalArgumentException(what + " has " + names.size() + " names but the network has " + n + " " + of);
        }
        return names == null ? null : List.copyOf(names);
    }

    public BufferedImage render(int width, int height) {
        BufferedImage img = Canvas.blank(width, height, 200, 150);
        Graphics2D g = Canvas.graphics(img);
        int layers = sizes.length;
        int most = 0;
        for (int s : sizes) {
            most = Math.max(most, s);
        }
        double pad = Axes.PAD;
        double top = pad + (Axes.empty(title) ? 4 : Canvas.height(g, Canvas.TITLE) + 14);
        double bottom = height - pad - 2 * (Canvas.height(g, Canvas.TICK) + 6);
        double slot = (bottom - top) / most;
        Font nameFont = Canvas.font(Font.PLAIN, (float) Math.max(7, Math.min(12, slot * 0.8)));
        double left = pad + widest(g, nameFont, inputNames) + 8;
        double right = width - pad - widest(g, nameFont, outputNames) - 8;
        double column = layers > 1 ? (right - left) / (layers - 1) : 0;
        double radius = Math.max(2.5, Math.min(12, Math.min(slot, column) * 0.3));
        left += radius;
        right -= radius;
        column = (right - left) / (layers - 1);

        double[][] xs = new double[layers][];
        double[][] ys = new double[layers][];
        for (int l = 0; l < layers; l++) {
            double spacing = Math.min(slot, 3 * radius + 24);
            double y0 = (top + bottom) / 2 - spacing * (sizes[l] - 1) / 2.0;
            xs[l] = new double[sizes[l]];
            ys[l] = new double[sizes[l]];
            for (int k = 0; k < sizes[l]; k++) {
                xs[l][k] = left + column * l;
                ys[l][k] = y0 + spacing * k;
            }
        }

        record Edge(int layer, int out, int in, float w) {}
        List<Edge> edges = new ArrayList<>();
        double max = 0;
        for (int l = 0; l < weights.size(); l++) {
            float[][] m = weights.get(l);
            for (int o = 0; o < m.length; o++) {
                for (int i = 0; i < m[o].length; i++) {
                    float w = m[o][i];
                    if (Float.isFinite(w) && w != 0) {
                        edges.add(new Edge(l, o, i, w));
                        max = Math.max(max, Math.abs(w));
                    }
                }
            }
        }
        edges.sort(Comparator.comparingDouble(e -> Math.abs(e.w())));
        for (Edge e : edges) {
            double t = Math.abs(e.w()) / max;
            g.setStroke(new BasicStroke((float) (1 + 7 * t), BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND));
            g.setColor(Canvas.alpha(e.w() > 0 ? POSITIVE : NEGATIVE, 0.15 + 0.85 * t));
            g.draw(new Line2D.Double(xs[e.layer()][e.in()], ys[e.layer()][e.in()],
                    xs[e.layer() + 1][e.out()], ys[e.layer() + 1][e.out()]));
        }

        g.setStroke(new BasicStroke(1.3f));
        for (int l = 0; l < layers; l++) {
            for (int k = 0; k < sizes[l]; k++) {
                Ellipse2D c = new Ellipse2D.Double(xs[l][k] - radius, ys[l][k] - radius, 2 * radius, 2 * radius);
                g.setColor(l == 0 || l == layers - 1 ? new Color(0xEEEEEE) : Color.WHITE);
                g.fill(c);
                g.setColor(new Color(0x444444));
                g.draw(c);
            }
        }
        g.setFont(nameFont);
        g.setColor(Canvas.TEXT);
        if (inputNames != null) {
            for (int k = 0; k < sizes[0]; k++) {
                Canvas.text(g, inputNames.get(k), xs[0][k] - radius - 6, ys[0][k], Canvas.RIGHT, Canvas.MIDDLE);
            }
        }
        if (outputNames != null) {
            int l = layers - 1;
            for (int k = 0; k < sizes[l]; k++) {
                Canvas.text(g, outputNames.get(k), xs[l][k] + radius + 6, ys[l][k], Canvas.LEFT, Canvas.MIDDLE);
            }
        }

        g.setFont(Canvas.TICK);
        g.setColor(Canvas.TICK_TEXT);
        double captionY = bottom + 6;
        for (int l = 0; l < layers; l++) {
            String name = l == 0 ? "input" : l == layers - 1 ? "output" : layers == 3 ? "hidden" : "hidden " + l;
            Canvas.text(g, name + " · " + sizes[l], xs[l][0], captionY, Canvas.CENTER, Canvas.TOP);
        }
        key(g, width / 2.0, height - pad, max);
        Axes.title(g, title, width);
        g.dispose();
        return img;
    }

    /** The color and width key along the bottom, centered on cx with its baseline at y. */
    private static void key(Graphics2D g, double cx, double y, double max) {
        String pos = "positive";
        String neg = "negative";
        String scale = "width ∝ |w|, max |w| = " + Ticks.compact(max, 3);
        double sample = 22;
        double w = 2 * (sample + 6) + Canvas.width(g, Canvas.TICK, pos) + Canvas.width(g, Canvas.TICK, neg)
                + Canvas.width(g, Canvas.TICK, scale) + 2 * 18;
        double x = cx - w / 2;
        double mid = y - 4;
        g.setFont(Canvas.TICK);
        for (int i = 0; i < 2; i++) {
            g.setColor(i == 0 ? POSITIVE : NEGATIVE);
            g.setStroke(new BasicStroke(3f));
            g.draw(new Line2D.Double(x, mid, x + sample, mid));
            x += sample + 6;
            g.setColor(Canvas.TICK_TEXT);
            String s = i == 0 ? pos : neg;
            Canvas.text(g, s, x, y, Canvas.LEFT, Canvas.BASELINE);
            x += Canvas.width(g, Canvas.TICK, s) + 18;
        }
        Canvas.text(g, scale, x, y, Canvas.LEFT, Canvas.BASELINE);
    }

    private static double widest(Graphics2D g, Font font, List<String> names) {
        double w = 0;
        if (names != null) {
            for (String s : names) {
                w = Math.max(w, Canvas.width(g, font, s == null ? "" : s));
            }
        }
        return w;
    }
}
