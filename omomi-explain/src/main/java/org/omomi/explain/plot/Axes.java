package org.omomi.explain.plot;

import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;

/**
 * A plot area inside an image with its margins, scales and decorations: title, grid, axis lines,
 * ticks, tick labels and axis labels. The margins are measured from the text they hold, so long
 * tick labels never run into the axis label, and the x ticks are thinned until their labels do not
 * touch.
 */
final class Axes {

    /** Outer padding of the image, in pixels. */
    static final double PAD = 14;
    private static final double TICK_LENGTH = 4;
    private static final double TICK_GAP = 3;

    /** One numeric axis: its bounds in data units, whether it is log10, and its ticks. */
    record Scale(double lo, double hi, boolean log, Ticks ticks) {

        /** Where {@code v} falls between pixel {@code p0} (at lo) and {@code p1} (at hi). */
        double toPixel(double v, double p0, double p1) {
            double t = log
                    ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))
                    : (v - lo) / (hi - lo);
            return p0 + t * (p1 - p0);
        }
    }

    final String title;
    final String xLabel;
    final String yLabel;
    final Scale x;
    /** Null for a categorical y axis (bars, ridges), whose labels the chart draws itself. */
    final Scale y;
    final double left;
    final double top;
    final double right;
    final double bottom;
    private final int width;

    private Axes(String title, String xLabel, String yLabel, Scale x, Scale y,
            double left, double top, double right, double bottom, int width) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.x = x;
        this.y = y;
        this.left = left;
        this.top = top;
        this.right = right;
        this.bottom = bottom;
        this.width = width;
    }

    /**
     * Lays out a chart of {@code width} × {@code height}: x is numeric over [xlo, xhi]; y is numeric
     * over [ylo, yhi] unless {@code categoricalWidth} ≥ 0, in which case the y axis has no ticks and
     * that many pixels are kept left of the plot for the chart's own row labels. {@code rightReserve}
     * pixels are kept right of the plot (for a legend placed outside).
     */
    static Axes layout(Graphics2D g, int width, int height, String title, String xLabel, String yLabel,
            double xlo, double xhi, boolean logX, double ylo, double yhi, boolean logY,
            double categoricalWidth, double rightReserve) {
        double tickH = Canvas.height(g, Canvas.TICK);
        double labelH = Canvas.height(g, Canvas.LABEL);
        double top = PAD + (empty(title) ? 4 : Canvas.height(g, Canvas.TITLE) + 10);
        double bottom = height - PAD - (empty(xLabel) ? 0 : labelH + 4) - tickH - TICK_LENGTH - TICK_GAP;
        double plotH = Math.max(10, bottom - top);

        Scale y = null;
        double left = PAD + (empty(yLabel) ? 0 : labelH + 6);
        if (categoricalWidth >= 0) {
            left += categoricalWidth;
        } else {
            int target = clamp((int) Math.round(plotH / 55), 2, 10);
            Ticks ticks = logY ? Ticks.log10(ylo, yhi, target) : Ticks.linear(ylo, yhi, target);
            y = new Scale(ylo, yhi, logY, ticks);
            double widest = 0;
            for (String s : ticks.labels()) {
                widest = Math.max(widest, Canvas.width(g, Canvas.TICK, s));
            }
            left += widest + TICK_GAP + TICK_LENGTH;
        }
        double right = width - PAD - Math.max(6, rightReserve);
        double plotW = Math.max(10, right - left);

        Ticks xt = null;
        for (int target = clamp((int) Math.round(plotW / 80), 2, 12); target >= 1; target--) {
            xt = logX ? Ticks.log10(xlo, xhi, target) : Ticks.linear(xlo, xhi, target);
            if (labelsFit(g, xt, xlo, xhi, logX, plotW)) {
                break;
            }
        }
        Scale x = new Scale(xlo, xhi, logX, xt);
        return new Axes(title, xLabel, yLabel, x, y, left, top, left + plotW, top + plotH, width);
    }

    /** Whether neighboring x tick labels keep at least 12 pixels apart. */
    private static boolean labelsFit(Graphics2D g, Ticks t, double lo, double hi, boolean log, double plotW) {
        Scale s = new Scale(lo, hi, log, t);
        double[] v = t.values();
        for (int i = 1; i < v.length; i++) {
            double gap = s.toPixel(v[i], 0, plotW) - s.toPixel(v[i - 1], 0, plotW);
            double need = (Canvas.width(g, Canvas.TICK, t.labels()[i]) + Canvas.width(g, Canvas.TICK, t.labels()[i - 1])) / 2 + 12;
            if (gap < need) {
                return false;
            }
        }
        return true;
    }

    double px(double v) {
        return x.toPixel(v, left, right);
    }

    double py(double v) {
        return y.toPixel(v, bottom, top);
    }

    Rectangle2D plot() {
        return new Rectangle2D.Double(left, top, right - left, bottom - top);
    }

    /** Clips to the plot area grown by {@code margin} pixels, so thick lines at the edge are not halved. */
    void clip(Graphics2D g, double margin) {
        g.clip(new Rectangle2D.Double(left - margin, top - margin, right - left + 2 * margin, bottom - top + 2 * margin));
    }

    /** Grid lines at every tick (and lighter ones at the minor ticks of a log axis), under the data. */
    void grid(Graphics2D g) {
        g.setStroke(Canvas.stroke(1f));
        g.setColor(Canvas.MINOR_GRID);
        for (double v : x.ticks().minor()) {
            vertical(g, px(v));
        }
        if (y != null) {
            for (double v : y.ticks().minor()) {
                horizontal(g, py(v));
            }
        }
        g.setColor(Canvas.GRID);
        for (double v : x.ticks().values()) {
            vertical(g, px(v));
        }
        if (y != null) {
            for (double v : y.ticks().values()) {
                horizontal(g, py(v));
            }
        }
    }

    private void vertical(Graphics2D g, double px) {
        double c = Canvas.crisp(px);
        g.draw(new Line2D.Double(c, top, c, bottom));
    }

    private void horizontal(Graphics2D g, double py) {
        double c = Canvas.crisp(py);
        g.draw(new Line2D.Double(left, c, right, c));
    }

    /** Axis lines, ticks, tick labels, axis labels and the title, over the data. */
    void frame(Graphics2D g) {
        g.setStroke(Canvas.stroke(1f));
        g.setColor(Canvas.AXIS);
        double b = Canvas.crisp(bottom);
        g.draw(new Line2D.Double(left, b, right, b));
        for (double v : x.ticks().values()) {
            double c = Canvas.crisp(px(v));
            g.draw(new Line2D.Double(c, b, c, b + TICK_LENGTH));
        }
        double l = Canvas.crisp(left) - 1;
        if (y != null) {
            g.draw(new Line2D.Double(l, top, l, bottom));
            for (double v : y.ticks().values()) {
                double c = Canvas.crisp(py(v));
                g.draw(new Line2D.Double(l - TICK_LENGTH, c, l, c));
            }
        }

        g.setFont(Canvas.TICK);
        g.setColor(Canvas.TICK_TEXT);
        double labelTop = bottom + TICK_LENGTH + TICK_GAP;
        double[] xv = x.ticks().values();
        for (int i = 0; i < xv.length; i++) {
            String s = x.ticks().labels()[i];
            double w = Canvas.width(g, Canvas.TICK, s);
            // Keep the outermost labels inside the image.
            double cx = Math.max(w / 2 + 2, Math.min(width - w / 2 - 2, px(xv[i])));
            Canvas.text(g, s, cx, labelTop, Canvas.CENTER, Canvas.TOP);
        }
        if (y != null) {
            double[] yv = y.ticks().values();
            for (int i = 0; i < yv.length; i++) {
                Canvas.text(g, y.ticks().labels()[i], l - TICK_LENGTH - TICK_GAP, py(yv[i]), Canvas.RIGHT, Canvas.MIDDLE);
            }
        }

        g.setFont(Canvas.LABEL);
        g.setColor(Canvas.TEXT);
        if (!empty(xLabel)) {
            double tickH = Canvas.height(g, Canvas.TICK);
            Canvas.text(g, Canvas.fit(g, Canvas.LABEL, xLabel, right - left), (left + right) / 2,
                    labelTop + tickH + 4, Canvas.CENTER, Canvas.TOP);
        }
        if (!empty(yLabel)) {
            double labelH = Canvas.height(g, Canvas.LABEL);
            Canvas.textUp(g, Canvas.fit(g, Canvas.LABEL, yLabel, bottom - top), PAD + labelH / 2, (top + bottom) / 2);
        }
        title(g, title, width);
    }

    /**
     * A line of grey text in the middle of the plot saying why it is empty ("no finite values to
     * draw"), so that an empty chart reads as a fact about the data rather than a broken picture.
     */
    void note(Graphics2D g, String text) {
        g.setFont(Canvas.LABEL);
        g.setColor(Canvas.TICK_TEXT);
        Canvas.text(g, Canvas.fit(g, Canvas.LABEL, text, right - left - 8), (left + right) / 2, (top + bottom) / 2,
                Canvas.CENTER, Canvas.MIDDLE);
    }

    /**
     * The chart's title, bold, centered on the image rather than on the plot, which a wide label
     * column would push off to one side.
     */
    static void title(Graphics2D g, String title, int width) {
        if (empty(title)) {
            return;
        }
        g.setFont(Canvas.TITLE);
        g.setColor(Canvas.TEXT);
        String s = Canvas.fit(g, Canvas.TITLE, title, width - 2 * PAD);
        Canvas.text(g, s, width / 2.0, PAD, Canvas.CENTER, Canvas.TOP);
    }

    /**
     * Data bounds with {@code fraction} of their span added on each side (in log10 space for a log
     * axis), widened around the value when the span is zero (or below a billionth of the values) so
     * that the axis still has ticks; [0, 1] (or [1, 10] on a log axis) when there are no bounds.
     */
    static double[] padded(double lo, double hi, double fraction, boolean log) {
        if (!(lo <= hi) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
            return log ? new double[] {1, 10} : new double[] {0, 1};
        }
        if (log) {
            double a = Math.log10(lo);
            double b = Math.log10(hi);
            double d = b - a < 1e-9 ? 0.5 : (b - a) * fraction;
            return new double[] {Math.pow(10, a - d), Math.pow(10, b + d)};
        }
        // Equal values, or values a few rounding steps apart (a loss that stopped moving), get a
        // range of ±10% around them: ticks at 1e-16 steps would say nothing and their labels collide.
        double scale = Math.max(Math.abs(lo), Math.abs(hi));
        if (hi - lo <= 1e-9 * scale || lo == hi) {
            double d = lo == 0 && hi == 0 ? 1 : scale * 0.1;
            double mid = lo / 2 + hi / 2;
            return new double[] {mid - d, mid + d};
        }
        double span = hi - lo;
        if (!Double.isFinite(span) || !Double.isFinite(span * (1 + 2 * fraction))) {
            // Values near ±Double.MAX_VALUE: an axis whose span overflows has no ticks, so clip it.
            return new double[] {Math.max(lo, -1e300), Math.min(hi, 1e300)};
        }
        double d = span * fraction;
        return new double[] {lo - d, hi + d};
    }

    static boolean empty(String s) {
        return s == null || s.isBlank();
    }

    static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
