package org.omomi.explain.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A line chart: named series as lines (solid or dashed) in the palette's colors, optional shaded
 * bands (a spread, such as min–max or ± one standard deviation) under them, and a legend. A NaN or
 * infinite value, or a non-positive one on a log axis, breaks a line rather than dropping to zero;
 * a point with no drawable neighbor is shown as a dot so it does not vanish. The x axis spans the
 * data exactly; the y axis has 5% room above and below. A chart with nothing drawable says so in
 * its middle ("no finite values to draw") instead of showing bare axes. Unlabeled {@linkplain #guide guide lines}
 * (contours, reference curves) are drawn thin and light grey under everything else.
 */
public final class LineChart {

    static final float LINE_WIDTH = 2f;
    static final double MARKER_RADIUS = 3.5;
    static final double BAND_ALPHA = 0.2;
    static final float GUIDE_WIDTH = 1f;
    static final Color GUIDE = new Color(0xBDBDBD);

    private record Item(String name, double[] x, double[] y, double[] lo, int color, boolean dashed) {

        boolean band() {
            return lo != null;
        }
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Item> items = new ArrayList<>();
    private final List<double[][]> guides = new ArrayList<>();
    private int lines;
    private boolean logY;
    private boolean markers;

    public LineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** A log10 y axis; non-positive values are then skipped (they break the line). Default off. */
    public LineChart logY(boolean on) {
        logY = on;
        return this;
    }

    /** A solid line in the next palette color. */
    public LineChart series(String name, double[] x, double[] y) {
        return series(name, x, y, false);
    }

    /** A line in the next palette color, dashed if asked (e.g. validation against training). */
    public LineChart series(String name, double[] x, double[] y, boolean dashed) {
        checkLengths(name, x, "y", y);
        items.add(new Item(name, x.clone(), y.clone(), null, lines++, dashed));
        return this;
    }

    /** A line in palette color {@code colorIndex}, so a dashed reference can share its line's color. */
    public LineChart series(String name, double[] x, double[] y, boolean dashed, int colorIndex) {
        checkLengths(name, x, "y", y);
        if (colorIndex < 0) {
            throw new IllegalArgumentException("series " + name + ": colorIndex must be >= 0, got " + colorIndex);
        }
        items.add(new Item(name, x.clone(), y.clone(), null, colorIndex, dashed));
        return this;
    }

    /**
     * A shaded band between {@code lo} and {@code hi} at each x, filled semi-transparent in palette
     * color {@code colorIndex} (so it can match the line it surrounds), drawn under every line and
     * listed in the legend by name.
     */
    public LineChart band(String name, double[] x, double[] lo, double[] hi, int colorIndex) {
        checkLengths(name, x, "lo", lo);
        checkLengths(name, x, "hi", hi);
        if (colorIndex < 0) {
            throw new IllegalArgumentException("band " + name + ": colorIndex must be >= 0, got " + colorIndex);
        }
        items.add(new Item(name, x.clone(), hi.clone(), lo.clone(), colorIndex, false));
        return this;
    }

    /**
     * A thin light-grey line through (x, y), under every band and series and not in the legend: a
     * contour or reference curve to read the data against. It counts toward the axis ranges like
     * data; a NaN breaks it, so a caller can leave out the parts outside the window it wants.
     */
    public LineChart guide(double[] x, double[] y) {
        checkLengths("guide " + guides.size(), x, "y", y);
        guides.add(new double[][] {x.clone(), y.clone()});
        return this;
    }

    /** Small dots at every point, useful with few points. Default off. */
    public LineChart markers(boolean on) {
        markers = on;
        return this;
    }

    /**
     * Whether any band or series has a point it would draw (finite, and positive on a log axis);
     * guides do not count. A caller can leave out a chart that would only say "no finite values".
     */
    public boolean hasData() {
        for (Item it : items) {
            for (int i = 0; i < it.x.length; i++) {
                if (drawable(it.x[i], it.y[i]) && (!it.band() || drawable(it.x[i], it.lo[i]))) {
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
        for (Item it : items) {
            for (int i = 0; i < it.x.length; i++) {
                double[] ys = it.band() ? new double[] {it.lo[i], it.y[i]} : new double[] {it.y[i]};
                for (double v : ys) {
                    if (drawable(it.x[i], v)) {
                        xlo = Math.min(xlo, it.x[i]);
                        xhi = Math.max(xhi, it.x[i]);
                        ylo = Math.min(ylo, v);
                        yhi = Math.max(yhi, v);
                    }
                }
            }
        }
        for (double[][] gd : guides) {
            for (int i = 0; i < gd[0].length; i++) {
                if (drawable(gd[0][i], gd[1][i])) {
                    xlo = Math.min(xlo, gd[0][i]);
                    xhi = Math.max(xhi, gd[0][i]);
                    ylo = Math.min(ylo, gd[1][i]);
                    yhi = Math.max(yhi, gd[1][i]);
                }
            }
        }
        boolean empty = !(xlo <= xhi);
        double[] xr = Axes.padded(xlo, xhi, markers ? 0.02 : 0, false);
        double[] yr = Axes.padded(ylo, yhi, 0.05, logY);

        Legend legend = new Legend(entries());
        Axes axes = Axes.layout(g, width, height, title, xLabel, yLabel, xr[0], xr[1], false, yr[0], yr[1], logY, -1, 0);
        Rectangle2D box = legend.isEmpty() ? null : legend.inside(g, axes.plot(), ink(axes));
        if (!legend.isEmpty() && box == null) {
            double reserve = legend.width(g) + 2 * Legend.INSET;
            axes = Axes.layout(g, width, height, title, xLabel, yLabel, xr[0], xr[1], false, yr[0], yr[1], logY, -1, reserve);
            box = new Rectangle2D.Double(axes.right + 2 * Legend.INSET, axes.top, 0, 0);
        }

        axes.grid(g);
        Shape savedClip = g.getClip();
        axes.clip(g, 5);
        g.setColor(GUIDE);
        g.setStroke(Canvas.line(GUIDE_WIDTH, false));
        for (double[][] gd : guides) {
            for (Path2D p : linePaths(axes, new Item("", gd[0], gd[1], null, -1, false))) {
                g.draw(p);
            }
        }
        for (Item it : items) {
            if (it.band()) {
                g.setColor(Canvas.alpha(Colormap.category(it.color), BAND_ALPHA));
                for (Path2D p : bandPaths(axes, it)) {
                    g.fill(p);
                }
            }
        }
        for (Item it : items) {
            if (!it.band()) {
                drawLine(g, axes, it);
            }
        }
        g.setClip(savedClip);
        if (empty) {
            axes.note(g, items.isEmpty() && guides.isEmpty() ? "no data"
                    : logY ? "no finite positive values to draw" : "no finite values to draw");
        }
        axes.frame(g);
        if (box != null) {
            legend.draw(g, box.getX(), box.getY());
        }
        g.dispose();
        return img;
    }

    private void drawLine(Graphics2D g, Axes axes, Item it) {
        Color color = Colormap.category(it.color);
        g.setColor(color);
        g.setStroke(Canvas.line(LINE_WIDTH, it.dashed));
        for (Path2D p : linePaths(axes, it)) {
            g.draw(p);
        }
        double r = MARKER_RADIUS;
        for (int i = 0; i < it.x.length; i++) {
            if (!drawable(it.x[i], it.y[i])) {
                continue;
            }
            if (markers || alone(it, i)) {
                double px = axes.px(it.x[i]);
                double py = axes.py(it.y[i]);
                g.fill(new Ellipse2D.Double(px - r, py - r, 2 * r, 2 * r));
            }
        }
    }

    /** The runs of consecutive drawable points of a line, as polylines in pixels. */
    private List<Path2D> linePaths(Axes axes, Item it) {
        List<Path2D> out = new ArrayList<>();
        Path2D p = null;
        int len = 0;
        for (int i = 0; i < it.x.length; i++) {
            if (!drawable(it.x[i], it.y[i])) {
                if (len > 1) {
                    out.add(p);
                }
                p = null;
                len = 0;
                continue;
            }
            double px = axes.px(it.x[i]);
            double py = axes.py(it.y[i]);
            if (p == null) {
                p = new Path2D.Double();
                p.moveTo(px, py);
            } else {
                p.lineTo(px, py);
            }
            len++;
        }
        if (len > 1) {
            out.add(p);
        }
        return out;
    }

    /** The runs where x, lo and hi are all drawable, as closed polygons: along hi, back along lo. */
    private List<Path2D> bandPaths(Axes axes, Item it) {
        List<Path2D> out = new ArrayList<>();
        int n = it.x.length;
        int i = 0;
        while (i < n) {
            while (i < n && !bandPoint(it, i)) {
                i++;
            }
            int start = i;
            while (i < n && bandPoint(it, i)) {
                i++;
            }
            if (i - start >= 2) {
                Path2D p = new Path2D.Double();
                p.moveTo(axes.px(it.x[start]), axes.py(it.y[start]));
                for (int k = start + 1; k < i; k++) {
                    p.lineTo(axes.px(it.x[k]), axes.py(it.y[k]));
                }
                for (int k = i - 1; k >= start; k--) {
                    p.lineTo(axes.px(it.x[k]), axes.py(it.lo[k]));
                }
                p.closePath();
                out.add(p);
            }
        }
        return out;
    }

    /** Whether point i has no drawable neighbor, so that without a dot it would not show. */
    private boolean alone(Item it, int i) {
        int n = it.x.length;
        return (i == 0 || !drawable(it.x[i - 1], it.y[i - 1])) && (i == n - 1 || !drawable(it.x[i + 1], it.y[i + 1]));
    }

    private boolean bandPoint(Item it, int i) {
        return drawable(it.x[i], it.y[i]) && drawable(it.x[i], it.lo[i]);
    }

    private boolean drawable(double x, double y) {
        return Double.isFinite(x) && Double.isFinite(y) && (!logY || y > 0);
    }

    /** Everything the data covers, as filled shapes, for placing the legend clear of it. */
    private List<Shape> ink(Axes axes) {
        List<Shape> out = new ArrayList<>();
        BasicStroke wide = new BasicStroke(LINE_WIDTH + 2, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
        for (Item it : items) {
            if (it.band()) {
                out.addAll(bandPaths(axes, it));
            } else {
                for (Path2D p : linePaths(axes, it)) {
                    out.add(wide.createStrokedShape(p));
                }
                for (int i = 0; i < it.x.length; i++) {
                    if (drawable(it.x[i], it.y[i]) && (markers || alone(it, i))) {
                        double r = MARKER_RADIUS + 1;
                        out.add(new Ellipse2D.Double(axes.px(it.x[i]) - r, axes.py(it.y[i]) - r, 2 * r, 2 * r));
                    }
                }
            }
        }
        return out;
    }

    /** Legend rows for the named items, in the order they were added; a blank name is left out. */
    private List<Legend.Entry> entries() {
        List<Legend.Entry> out = new ArrayList<>();
        for (Item it : items) {
            if (Axes.empty(it.name)) {
                continue;
            }
            Legend.Swatch swatch = it.band() ? Legend.Swatch.BAND : it.dashed ? Legend.Swatch.DASHED : Legend.Swatch.LINE;
            out.add(new Legend.Entry(it.name, Colormap.category(it.color), swatch, markers && !it.band()));
        }
        return out;
    }

    private static void checkLengths(String name, double[] x, String what, double[] v) {
        if (x == null || v == null) {
            throw new IllegalArgumentException(name + ": x and " + what + " must not be null");
        }
        if (x.length != v.length) {
            throw new IllegalArgumentException(
                    name + ": x has " + x.length + " values but " + what + " has " + v.length);
        }
    }
}
