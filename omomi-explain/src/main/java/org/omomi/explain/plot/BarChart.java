package org.omomi.explain.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A horizontal bar chart for importances and attributions: one bar per label, top to bottom in the
 * order given (sort before adding), the label left of the plot and the value at the bar's end. The
 * value axis always includes zero. When signed, negative bars are blue and positive ones red (the
 * ends of {@link Colormap#diverging}); otherwise every bar has the palette's first color. A NaN
 * value gets no bar, only its "NaN" label; with no finite value at all the chart says so. Labels shrink with the bars below about 15 pixels a
 * bar (readable down to about 10); when even the smallest would overlap, only every k-th bar is
 * labeled and values are left off, so a crowded chart stays legible rather than a smear.
 */
public final class BarChart {

    static final Color NEGATIVE = new Color(Colormap.diverging(-0.75));
    static final Color POSITIVE = new Color(Colormap.diverging(0.75));

    private record Bar(String label, double value) {}

    private final String title;
    private final String valueLabel;
    private final List<Bar> bars = new ArrayList<>();
    private boolean signed;

    public BarChart(String title, String valueLabel) {
        this.title = title;
        this.valueLabel = valueLabel;
    }

    public BarChart bar(String label, double value) {
        if (label == null) {
            throw new IllegalArgumentException("bar " + bars.size() + ": label must not be null");
        }
        bars.add(new Bar(label, value));
        return this;
    }

    /** Blue bars for negative values and red for positive ones. Default off: one color. */
    public BarChart signed(boolean on) {
        signed = on;
        return this;
    }

    /** Pixels per bar when the height is left to the chart. */
    static final int BAR_SLOT = 26;
    /** The least height {@link #render(int)} gives. */
    static final int MIN_HEIGHT = 160;
    /** Title, value ticks and value label, in pixels. */
    private static final int CHROME = 96;

    /**
     * Renders at a height that follows the bars: {@value #CHROME} + {@value #BAR_SLOT} pixels per bar,
     * at least {@value #MIN_HEIGHT}, so one bar (a one-feature model) or none still fits.
     */
    public BufferedImage render(int width) {
        return render(width, Math.max(MIN_HEIGHT, CHROME + BAR_SLOT * bars.size()));
    }

    /** Renders at this size, at least 200 × 120 (a smaller size is refused). */
    public BufferedImage render(int width, int height) {
        BufferedImage img = Canvas.blank(width, height, 200, 120);
        Graphics2D g = Canvas.graphics(img);

        double lo = 0;
        double hi = 0;
        boolean finite = false;
        for (Bar b : bars) {
            if (Double.isFinite(b.value)) {
                lo = Math.min(lo, b.value);
                hi = Math.max(hi, b.value);
                finite = true;
            }
        }
        if (lo == hi) {
            hi = 1;
        }
        // A first layout gives the plot's height, hence the row height and the label font.
        Axes axes = Axes.layout(g, width, height, title, valueLabel, null, lo, hi, false, 0, 1, false, 0, 0);
        int n = Math.max(1, bars.size());
        double slot = (axes.bottom - axes.top) / n;
        Font labelFont = Canvas.font(Font.PLAIN, (float) Math.max(7, Math.min(12, slot * 0.8)));
        Font valueFont = Canvas.font(Font.PLAIN, (float) Math.max(7, Math.min(11, slot * 0.75)));
        // Bars too thin for their labels get every k-th label and no values.
        int every = (int) Math.ceil(Canvas.height(g, labelFont) / slot);
        double labels = 0;
        double posText = 0;
        double negText = 0;
        for (Bar b : bars) {
            labels = Math.max(labels, Canvas.width(g, labelFont, b.label));
            double w = every > 1 ? 4 : Canvas.width(g, valueFont, Ticks.compact(b.value, 3)) + 6;
            if (b.value < 0) {
                negText = Math.max(negText, w);
            } else {
                posText = Math.max(posText, w);
            }
        }
        double labelColumn = Math.min(labels, 0.35 * width) + 10;
        axes = Axes.layout(g, width, height, title, valueLabel, null, lo, hi, false, 0, 1, false, labelColumn, 0);
        // Widen the value range so the value labels at the bar ends fit inside the plot.
        double plotW = axes.right - axes.left;
        double room = Math.max(plotW * 0.3, plotW - posText - negText);
        double perPixel = (hi - lo) / room;
        double dlo = lo - negText * perPixel;
        double dhi = hi + posText * perPixel;
        axes = Axes.layout(g, width, height, title, valueLabel, null, dlo, dhi, false, 0, 1, false, labelColumn, 0);

        axes.grid(g);
        double zero = Canvas.crisp(axes.px(0));
        double thickness = Math.min(slot * 0.72, 36);
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            double cy = axes.top + slot * (i + 0.5);
            if (Double.isFinite(b.value) && b.value != 0) {
                double end = axes.px(b.value);
                g.setColor(!signed ? Colormap.category(0) : b.value < 0 ? NEGATIVE : POSITIVE);
                g.fill(new Rectangle2D.Double(Math.min(zero, end), cy - thickness / 2, Math.abs(end - zero), thickness));
            }
            if (i % every != 0) {
                continue;
            }
            g.setFont(labelFont);
            g.setColor(Canvas.TEXT);
            Canvas.text(g, Canvas.fit(g, labelFont, b.label, labelColumn - 10), axes.left - 8, cy, Canvas.RIGHT, Canvas.MIDDLE);
            if (every > 1) {
                continue;
            }
            g.setFont(valueFont);
            g.setColor(Canvas.TICK_TEXT);
            String value = Ticks.compact(b.value, 3);
            if (b.value < 0) {
                Canvas.text(g, value, axes.px(b.value) - 4, cy, Canvas.RIGHT, Canvas.MIDDLE);
            } else {
                double end = Double.isFinite(b.value) ? axes.px(b.value) : zero;
                Canvas.text(g, value, end + 4, cy, Canvas.LEFT, Canvas.MIDDLE);
            }
        }
        g.setStroke(Canvas.stroke(1f));
        g.setColor(new Color(0x555555));
        g.draw(new Line2D.Double(zero, axes.top, zero, axes.bottom));
        if (!finite) {
            axes.note(g, bars.isEmpty() ? "no data" : "no finite values to draw");
        }
        axes.frame(g);
        g.dispose();
        return img;
    }
}
