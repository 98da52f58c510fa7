package org.omomi.explain.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * The look every chart shares: fonts, colors of text and grid, a white canvas with antialiasing
 * switched on, and text placed by alignment rather than by baseline arithmetic at each call.
 */
final class Canvas {

    /** Sizes in pixels at an 800 × 500 chart; they do not grow with the image, like a screen UI. */
    static final Font TITLE = font(Font.BOLD, 16);
    static final Font LABEL = font(Font.PLAIN, 13);
    static final Font LEGEND = font(Font.PLAIN, 12);
    static final Font TICK = font(Font.PLAIN, 11);

    static final Color TEXT = new Color(0x222222);
    static final Color TICK_TEXT = new Color(0x4D4D4D);
    static final Color AXIS = new Color(0x8C8C8C);
    static final Color GRID = new Color(0xE5E5E5);
    static final Color MINOR_GRID = new Color(0xF2F2F2);

    /** Horizontal alignment of {@link #text}: x is the left edge, the center or the right edge. */
    static final int LEFT = 0;
    static final int CENTER = 1;
    static final int RIGHT = 2;
    /** Vertical alignment of {@link #text}: y is the top of the line, the middle of a capital or the baseline. */
    static final int TOP = 0;
    static final int MIDDLE = 1;
    static final int BASELINE = 2;

    /** DejaVu Sans's cap height as a fraction of the font size; centers digits and capitals by eye. */
    private static final double CAP_HEIGHT = 0.73;

    private Canvas() {}

    /** DejaVu Sans, or the logical sans-serif font where DejaVu is not installed. */
    static Font font(int style, float size) {
        Font f = new Font("DejaVu Sans", style, 1);
        if (!"DejaVu Sans".equals(f.getFamily(Locale.ROOT))) {
            f = new Font(Font.SANS_SERIF, style, 1);
        }
        return f.deriveFont(size);
    }

    /** A white RGB image; refuses sizes too small to hold a title, axes and a plot. */
    static BufferedImage blank(int width, int height, int minWidth, int minHeight) {
        if (width < minWidth || height < minHeight) {
            throw new IllegalArgumentException(
                    "image size " + width + "x" + height + " is below the minimum " + minWidth + "x" + minHeight);
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return img;
    }

    /**
     * Graphics with antialiased shapes and grey-scale antialiased text (not LCD subpixel text, which
     * shows color fringes in a PNG), fractional font metrics so measured widths match what is drawn,
     * and pure strokes so that coordinates are exact; 1-pixel lines are snapped by {@link #crisp}.
     */
    static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_COLOR_RENDERING, RenderingHints.VALUE_COLOR_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        return g;
    }

    /** The center of the pixel row or column containing {@code v}: a 1-pixel line there is sharp. */
    static double crisp(double v) {
        return Math.floor(v) + 0.5;
    }

    static Stroke stroke(float width) {
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER);
    }

    static Stroke line(float width, boolean dashed) {
        return dashed
                ? new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                        new float[] {3 * width + 1, 2 * width}, 0f)
                : new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    /** The advance width of {@code s} in {@code font}, as drawn by {@link #graphics} graphics. */
    static double width(Graphics2D g, Font font, String s) {
        return font.getStringBounds(s, g.getFontRenderContext()).getWidth();
    }

    /** The height of one line of {@code font}: ascent plus descent. */
    static double height(Graphics2D g, Font font) {
        FontMetrics fm = g.getFontMetrics(font);
        return fm.getAscent() + fm.getDescent();
    }

    /** Draws {@code s} in the current font and color, aligned on (x, y) as {@code h} and {@code v} say. */
    static void text(Graphics2D g, String s, double x, double y, int h, int v) {
        if (s == null || s.isEmpty()) {
            return;
        }
        FontMetrics fm = g.getFontMetrics();
        double w = g.getFont().getStringBounds(s, g.getFontRenderContext()).getWidth();
        double left = h == LEFT ? x : h == CENTER ? x - w / 2 : x - w;
        double base = v == TOP ? y + fm.getAscent()
                : v == MIDDLE ? y + CAP_HEIGHT * g.getFont().getSize2D() / 2
                : y;
        g.drawString(s, (float) left, (float) base);
    }

    /** Draws {@code s} turned a quarter left (reading upwards), centered on (x, y). */
    static void textUp(Graphics2D g, String s, double x, double y) {
        if (s == null || s.isEmpty()) {
            return;
        }
        AffineTransform saved = g.getTransform();
        g.translate(x, y);
        g.rotate(-Math.PI / 2);
        text(g, s, 0, 0, CENTER, MIDDLE);
        g.setTransform(saved);
    }

    /** {@code s}, cut short with an ellipsis if it is wider than {@code max} pixels in {@code font}. */
    static String fit(Graphics2D g, Font font, String s, double max) {
        if (s == null) {
            return "";
        }
        if (width(g, font, s) <= max) {
            return s;
        }
        int n = s.length();
        while (n > 0 && width(g, font, s.substring(0, n) + "…") > max) {
            n--;
        }
        return n == 0 ? "" : s.substring(0, n) + "…";
    }

    /** {@code c} with opacity {@code alpha} in [0, 1]. */
    static Color alpha(Color c, double alpha) {
        int a = (int) Math.round(255 * Math.max(0, Math.min(1, alpha)));
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), a);
    }
}
