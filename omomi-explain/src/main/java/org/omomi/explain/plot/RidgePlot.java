package org.omomi.explain.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Histograms over time as a ridge plot ("joy plot"): one row per histogram, first at the top, each a
 * filled curve through its bin centers over a shared x axis, scaled to the row's own largest count
 * and rising into the row above, so the change of shape from epoch to epoch reads at a glance. Later
 * rows are drawn in front. Rows are colored along viridis, so time also reads as color.
 *
 * <p>A row with no bins draws nothing but its label; a row whose range is a single value
 * ({@code lo == hi}, as {@code Histogram.of} gives for a constant array) is a narrow spike there.
 * With no counts in any row the plot says "no finite values to draw".
 */
public final class RidgePlot {

    /** How far a full-height curve rises, in row spacings. */
    private static final double OVERLAP = 1.8;

    private record Row(String label, double lo, double hi, long[] counts) {}

    private final String title;
    private final String xLabel;
    private final List<Row> rows = new ArrayList<>();

    public RidgePlot(String title, String xLabel) {
        this.title = title;
        this.xLabel = xLabel;
    }

    /**
     * A histogram of equal-width bins over [lo, hi]; {@code counts} may be empty (lo and hi are then
     * ignored and may be NaN).
     */
    public RidgePlot add(String label, double lo, double hi, long[] counts) {
        String what = "ridge row " + rows.size() + " (" + label + ")";
        if (counts == null) {
            throw new IllegalArgumentException(what + ": counts must not be null");
        }
        if (counts.length > 0 && !(Double.isFinite(lo) && Double.isFinite(hi) && lo <= hi)) {
            throw new IllegalArgumentException(what + ": range must be finite with lo <= hi, got [" + lo + ", " + hi + "]");
        }
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException(what + ": counts must not be negative, got " + c);
            }
        }
        rows.add(new Row(label == null ? "" : label, lo, hi, counts.clone()));
        return this;
    }

    /** Pixels between neighboring rows' baselines when the height is left to the plot. */
    static final int ROW_SPACING = 34;
    /** The least height {@link #render(int)} gives, so that one or two rows still look like a chart. */
    static final int MIN_HEIGHT = 240;
    /** Title, x tick labels and x label, in pixels: what a plot of {@code n} rows needs besides its rows. */
    private static final int CHROME = 100;

    /**
     * Renders at a height that follows the rows: {@value #CHROME} + {@value #ROW_SPACING} · (n − 1 +
     * {@value #OVERLAP}) pixels for n rows, at least {@value #MIN_HEIGHT}, so any number of rows from
     * none up fits.
     */
    public BufferedImage render(int width) {
        int n = Math.max(1, rows.size());
        return render(width, Math.max(MIN_HEIGHT, (int) Math.ceil(CHROME + ROW_SPACING * (n - 1 + OVERLAP))));
    }

    /** Renders at this size, at least 200 × 150 (a smaller size is refused). */
    public BufferedImage render(int width, int height) {
        BufferedImage img = Canvas.blank(width, height, 200, 150);
        Graphics2D g = Canvas.graphics(img);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        boolean drawn = false;
        for (Row r : rows) {
            if (r.counts.length > 0) {
                lo = Math.min(lo, r.lo);
                hi = Math.max(hi, r.hi);
            }
            for (long c : r.counts) {
                drawn |= c > 0;
            }
        }
        double[] xr = Axes.padded(lo, hi, 0.02, false);

        int n = Math.max(1, rows.size());
        Axes probe = Axes.layout(g, width, height, title, xLabel, null, xr[0], xr[1], false, 0, 1, false, 0, 0);
        double spacing = (probe.bottom - probe.top) / (n - 1 + OVERLAP);
        Font labelFont = Canvas.font(Font.PLAIN, (float) Math.max(7, Math.min(12, spacing * 0.9)));
        // With rows too close for their labels, label every k-th row (and the last where it has room).
        int every = (int) Math.ceil(Canvas.height(g, labelFont) / spacing);
        double labels = 0;
        for (Row r : rows) {
            labels = Math.max(labels, Canvas.width(g, labelFont, r.label));
        }
        Axes axes = Axes.layout(g, width, height, title, xLabel, null, xr[0], xr[1], false, 0, 1, false,
                Math.min(labels, 0.3 * width) + 12, 0);
        double rise = spacing * (rows.size() > 1 ? OVERLAP : 0.9 * OVERLAP);

        axes.grid(g);
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            double base = axes.top + rise + spacing * i;
            g.setStroke(Canvas.stroke(1f));
            g.setColor(Canvas.GRID);
            double cb = Canvas.crisp(base);
            g.draw(new Line2D.Double(axes.left, cb, axes.right, cb));

            Color color = new Color(Colormap.viridis(rows.size() == 1 ? 0.3 : 0.9 * i / (rows.size() - 1)));
            Path2D curve = curve(axes, r, base, rise);
            if (curve != null) {
                g.setColor(Canvas.alpha(color, 0.8));
                g.fill(curve);
                g.setColor(color.darker());
                g.setStroke(new BasicStroke(1.3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.draw(curve);
            }
            if (i % every == 0 || i == rows.size() - 1 && i % every > every / 2) {
                g.setFont(labelFont);
                g.setColor(Canvas.TEXT);
                Canvas.text(g, Canvas.fit(g, labelFont, r.label, axes.left - Axes.PAD - 8), axes.left - 8, base,
                        Canvas.RIGHT, Canvas.BASELINE);
            }
        }
        if (!drawn) {
            axes.note(g, rows.isEmpty() ? "no data" : "no finite values to draw");
        }
        axes.frame(g);
        g.dispose();
        return img;
    }

    /** The row's outline closed along its baseline, or null when there is nothing to draw. */
    private static Path2D curve(Axes axes, Row r, double base, double rise) {
        long max = 0;
        for (long c : r.counts) {
            max = Math.max(max, c);
        }
        if (max == 0) {
            return null;
        }
        Path2D p = new Path2D.Double();
        if (r.lo == r.hi) {
            double x = axes.px(r.lo);
            p.moveTo(x - 3, base);
            p.lineTo(x, base - rise);
            p.lineTo(x + 3, base);
            p.closePath();
            return p;
        }
        double bin = (r.hi - r.lo) / r.counts.length;
        p.moveTo(axes.px(r.lo), base);
        for (int k = 0; k < r.counts.length; k++) {
            p.lineTo(axes.px(r.lo + (k + 0.5) * bin), base - rise * r.counts[k] / max);
        }
        p.lineTo(axes.px(r.hi), base);
        p.closePath();
        return p;
    }
}
