package org.omomi.explain.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A scatter plot: named groups of points, each in the next palette color and listed in the
 * legend, and optional marked points (such as cluster centres) drawn on top as crosses in their
 * group's color with a white halo. Points are small translucent dots, so dense regions show as
 * deeper color rather than a solid blot; a NaN or infinite coordinate leaves its point out. Both
 * axes have 5% room around the data.
 */
public final class ScatterChart {

    static final double DOT_RADIUS = 2.2;
    static final double DOT_ALPHA = 0.55;
    static final double LEGEND_DOT = 4;
    static final double CROSS = 7;

    private record Group(String name, double[] x, double[] y, int color) {}

    private record Mark(double x, double y, int color) {}

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Group> groups = new ArrayList<>();
    private final List<Mark> marks = new ArrayList<>();

    public ScatterChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Points in the next palette color, named in the legend (a blank name is left out of it). */
    public ScatterChart group(String name, double[] x, double[] y) {
        if (x == null || y == null || x.length != y.length) {
            throw new IllegalArgumentException("group " + name + ": x and y must be given and of the same length");
        }
        groups.add(new Group(name, x.clone(), y.clone(), groups.size()));
        return this;
    }

    /** A cross at (x, y) in the color of group {@code group} (0 = the first added). */
    public ScatterChart mark(double x, double y, int group) {
        if (group < 0) {
            throw new IllegalArgumentException("mark: group must be ≥ 0, got " + group);
        }
        marks.add(new Mark(x, y, group));
        return this;
    }

    public BufferedImage render(int width, int height) {
        BufferedImage img = Canvas.blank(width, height, 200, 150);
        Graphics2D g = Canvas.graphics(img);
        double xlo = Double.POSITIVE_INFINITY;
        double xhi = Double.NEGATIVE_INFINITY;
        double ylo = Double.POSITIVE_INFINITY;
        double yhi = Double.NEGATIVE_INFINITY;
        for (Group gr : groups) {
            for (int i = 0; i < gr.x.length; i++) {
                if (drawable(gr.x[i], gr.y[i])) {
                    xlo = Math.min(xlo, gr.x[i]);
                    xhi = Math.max(xhi, gr.x[i]);
                    ylo = Math.min(ylo, gr.y[i]);
                    yhi = Math.max(yhi, gr.y[i]);
                }
            }
        }
        for (Mark m : marks) {
            if (drawable(m.x, m.y)) {
                xlo = Math.min(xlo, m.x);
                xhi = Math.max(xhi, m.x);
                ylo = Math.min(ylo, m.y);
                yhi = Math.max(yhi, m.y);
            }
        }
        double[] xr = Axes.padded(xlo, xhi, 0.05, false);
        double[] yr = Axes.padded(ylo, yhi, 0.05, false);
        Legend legend = new Legend(entries());
        double reserve = legend.isEmpty() ? 0 : legend.width(g) + 2 * Legend.INSET;
        // The legend goes right of the plot: a scatter of many points rarely leaves a corner free.
        Axes axes = Axes.layout(g, width, height, title, xLabel, yLabel, xr[0], xr[1], false, yr[0], yr[1], false, -1, reserve);
        axes.grid(g);
        Shape clip = g.getClip();
        axes.clip(g, 4);
        double r = DOT_RADIUS;
        for (Group gr : groups) {
            g.setColor(Canvas.alpha(Colormap.category(gr.color), DOT_ALPHA));
            for (int i = 0; i < gr.x.length; i++) {
                if (drawable(gr.x[i], gr.y[i])) {
                    g.fill(new Ellipse2D.Double(axes.px(gr.x[i]) - r, axes.py(gr.y[i]) - r, 2 * r, 2 * r));
                }
            }
        }
        for (Mark m : marks) {
            if (!drawable(m.x, m.y)) {
                continue;
            }
            double px = axes.px(m.x);
            double py = axes.py(m.y);
            Shape[] cross = {new Line2D.Double(px - CROSS, py - CROSS, px + CROSS, py + CROSS), new Line2D.Double(px - CROSS, py + CROSS, px + CROSS, py - CROSS)};
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke(6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            for (Shape s : cross) {
                g.draw(s);
            }
            g.setColor(Colormap.category(m.color));
            g.setStroke(new BasicStroke(3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            for (Shape s : cross) {
                g.draw(s);
            }
        }
        g.setClip(clip);
        axes.frame(g);
        if (!legend.isEmpty()) {
            legend.draw(g, axes.right + 2 * Legend.INSET, axes.top);
        }
        g.dispose();
        return img;
    }

    private List<Legend.Entry> entries() {
        List<Legend.Entry> out = new ArrayList<>();
        for (Group gr : groups) {
            if (!Axes.empty(gr.name)) {
                out.add(new Legend.Entry(gr.name, Colormap.category(gr.color), Legend.Swatch.DOT, false));
            }
        }
        return out;
    }

    private static boolean drawable(double x, double y) {
        return Double.isFinite(x) && Double.isFinite(y);
    }
}
