package org.omomi.explain.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.util.List;

/**
 * A legend box: one row per named line or band. It goes in the first corner of the plot (top
 * right, top left, bottom right, bottom left) where it covers no data; when every corner would,
 * the chart keeps {@link #width} pixels right of the plot and the legend goes there instead.
 */
final class Legend {

    /** How an entry's sample is drawn: a solid line, a dashed line, a filled patch or a dot. */
    enum Swatch { LINE, DASHED, BAND, DOT }

    record Entry(String name, Color color, Swatch swatch, boolean marker) {}

    private static final double PAD = 8;
    private static final double ROW = 18;
    private static final double SAMPLE = 26;
    private static final double GAP = 6;
    private static final double MAX_NAME = 220;
    /** Distance from the plot's edges to a legend inside it. */
    static final double INSET = 8;

    private final List<Entry> entries;

    Legend(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    double width(Graphics2D g) {
        double names = 0;
        for (Entry e : entries) {
            names = Math.max(names, Canvas.width(g, Canvas.LEGEND, Canvas.fit(g, Canvas.LEGEND, e.name(), MAX_NAME)));
        }
        return Math.ceil(PAD + SAMPLE + GAP + names + PAD);
    }

    double height() {
        return Math.ceil(2 * PAD - 4 + ROW * entries.size());
    }

    /**
     * The top-left corner of the first free corner of {@code plot} for a box of this legend's size,
     * or null when the box would cover some of {@code ink} (the data, as filled shapes) in each.
     */
    Rectangle2D inside(Graphics2D g, Rectangle2D plot, List<Shape> ink) {
        double w = width(g);
        double h = height();
        if (w > plot.getWidth() - 2 * INSET || h > plot.getHeight() - 2 * INSET) {
            return null;
        }
        double l = plot.getMinX() + INSET;
        double r = plot.getMaxX() - INSET - w;
        double t = plot.getMinY() + INSET;
        double b = plot.getMaxY() - INSET - h;
        double[][] corners = {{r, t}, {l, t}, {r, b}, {l, b}};
        for (double[] c : corners) {
            Rectangle2D box = new Rectangle2D.Double(c[0] - 3, c[1] - 3, w + 6, h + 6);
            boolean free = true;
            for (Shape s : ink) {
                if (s.intersects(box)) {
                    free = false;
                    break;
                }
            }
            if (free) {
                return new Rectangle2D.Double(c[0], c[1], w, h);
            }
        }
        return null;
    }

    /** Draws the box with its top-left corner at (x, y). */
    void draw(Graphics2D g, double x, double y) {
        double w = width(g);
        double h = height();
        Shape box = new RoundRectangle2D.Double(Canvas.crisp(x), Canvas.crisp(y), Math.round(w), Math.round(h), 6, 6);
        g.setColor(new Color(255, 255, 255, 235));
        g.fill(box);
        g.setStroke(Canvas.stroke(1f));
        g.setColor(new Color(0xCCCCCC));
        g.draw(box);
        g.setFont(Canvas.LEGEND);
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            double cy = y + PAD - 2 + ROW * i + ROW / 2;
            double sx = x + PAD;
            switch (e.swatch()) {
                case BAND -> {
                    Rectangle2D patch = new Rectangle2D.Double(sx, cy - 6, SAMPLE, 12);
                    g.setColor(Canvas.alpha(e.color(), LineChart.BAND_ALPHA));
                    g.fill(patch);
                }
                case DOT -> {
                    double r = ScatterChart.LEGEND_DOT;
                    g.setColor(e.color());
                    g.fill(new Ellipse2D.Double(sx + SAMPLE / 2 - r, cy - r, 2 * r, 2 * r));
                }
                case LINE, DASHED -> {
                    g.setColor(e.color());
                    g.setStroke(Canvas.line(LineChart.LINE_WIDTH, e.swatch() == Swatch.DASHED));
                    g.draw(new Line2D.Double(sx + 1, cy, sx + SAMPLE - 1, cy));
                    if (e.marker()) {
                        double r = LineChart.MARKER_RADIUS;
                        g.fill(new Ellipse2D.Double(sx + SAMPLE / 2 - r, cy - r, 2 * r, 2 * r));
                    }
                }
            }
            g.setColor(Canvas.TEXT);
            Canvas.text(g, Canvas.fit(g, Canvas.LEGEND, e.name(), MAX_NAME), sx + SAMPLE + GAP, cy, Canvas.LEFT, Canvas.MIDDLE);
        }
    }
}
