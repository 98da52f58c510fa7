package org.omomi.explain.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A scatter plot: named groups of points, each group a palette colour with a legend row, drawn
 * as small translucent dots so dense clusters show their density. Both axes span the data with 5%
 * room; a point with a NaN or infinite coordinate is skipped. A plot with no drawable point says
 * so in its middle. Used for 2-D projections of learned vectors (item vectors by planted group).
 */
public final class ScatterPlot {

    static final double RADIUS = 3;
    static final double DOT_ALPHA = 0.7;

    private record Group(String name, double[] x, double[] y, int color) {}

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Group> groups = new ArrayList<>();

    public ScatterPlot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** A group of points in the next palette colour, listed in the legend by name (a blank name is left out). */
    public ScatterPlot group(String name, double[] x, double[] y) {
        if (x == null || y == null || x.length != y.length) {
            throw new IllegalArgumentException("group " + name + ": x and y must have the same length");
        }
        groups.add(new Group(name, x.clone(), y.clone(), groups.size()));
        return this;
    }

    /** Whether any point is drawable. */
    public boolean hasData() {
        for (Group gr : groups) {
            for (int i = 0; i < gr.x.length; i++) {
                if (Double.isFinite(gr.x[i]) && Double.isFinite(gr.y[i])) {
                    return true;
                }
            }
        }
        return false;
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
                if (Double.isFinite(gr.x[i]) && Double.isFinite(gr.y[i])) {
                    xlo = Math.min(xlo, gr.x[i]);
                    xhi = Math.max(xhi, gr.x[i]);
                    ylo = Math.min(ylo, gr.y[i]);
                    yhi = Math.max(yhi, gr.y[i]);
                }
            }
        }
        boolean empty = !(xlo <= xhi);
        double[] xr = Axes.padded(xlo, xhi, 0.05, false);
        double[] yr = Axes.padded(ylo, yhi, 0.05, false);
        Legend legend = new Legend(entries());
        Axes axes = Axes.layout(g, width, height, title, xLabel, yLabel, xr[0], xr[1], false, yr[0], yr[1], false, -1, 0);
        Rectangle2D box = legend.isEmpty() ? null : legend.inside(g, axes.plot(), ink(axes));
        if (!legend.isEmpty() && box == null) {
            double reserve = legend.width(g) + 2 * Legend.INSET;
            axes = Axes.layout(g, width, height, title, xLabel, yLabel, xr[0], xr[1], false, yr[0], yr[1], false, -1, reserve);
            box = new Rectangle2D.Double(axes.right + 2 * Legend.INSET, axes.top, 0, 0);
        }
        axes.grid(g);
        Shape savedClip = g.getClip();
        axes.clip(g, RADIUS + 1);
        for (Group gr : groups) {
            g.setColor(Canvas.alpha(Colormap.category(gr.color), DOT_ALPHA));
            for (int i = 0; i < gr.x.length; i++) {
                if (Double.isFinite(gr.x[i]) && Double.isFinite(gr.y[i])) {
                    g.fill(dot(axes.px(gr.x[i]), axes.py(gr.y[i]), RADIUS));
                }
            }
        }
        g.setClip(savedClip);
        if (empty) {
            axes.note(g, groups.isEmpty() ? "no data" : "no finite values to draw");
        }
        axes.frame(g);
        if (box != null) {
            legend.draw(g, box.getX(), box.getY());
        }
        g.dispose();
        return img;
    }

    private static Shape dot(double px, double py, double r) {
        return new Ellipse2D.Double(px - r, py - r, 2 * r, 2 * r);
    }

    /** Every dot, for placing the legend clear of them. */
    private List<Shape> ink(Axes axes) {
        List<Shape> out = new ArrayList<>();
        for (Group gr : groups) {
            for (int i = 0; i < gr.x.length; i++) {
                if (Double.isFinite(gr.x[i]) && Double.isFinite(gr.y[i])) {
                    out.add(dot(axes.px(gr.x[i]), axes.py(gr.y[i]), RADIUS + 1));
                }
            }
        }
        return out;
    }

    /** Legend rows: a filled patch of each group's colour (the swatch of a band reads as a dot's colour). */
    private List<Legend.Entry> entries() {
        List<Legend.Entry> out = new ArrayList<>();
        for (Group gr : groups) {
            if (!Axes.empty(gr.name)) {
                out.add(new Legend.Entry(gr.name, Colormap.category(gr.color), Legend.Swatch.LINE, true));
            }
        }
        return out;
    }

    /** The colour of group i's dots (before translucency), for tests and captions. */
    public static Color color(int group) {
        return Colormap.category(group);
    }
}
