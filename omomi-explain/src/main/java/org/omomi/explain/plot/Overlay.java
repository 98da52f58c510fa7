package org.omomi.explain.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A heat map laid over a grey image: where a model looked (Grad-CAM), which pixels moved the score
 * (saliency, Integrated Gradients). The map's opacity grows with its value, up to {@code alpha} at
 * the largest, so the image shows through where the map says little.
 *
 * <p>Unsigned maps are scaled by their maximum and drawn with {@link Colormap#inferno}; values at or
 * below zero are fully transparent (Grad-CAM's ReLU leaves them meaningless). Signed maps (an
 * attribution that can push either way) are scaled by their largest magnitude and drawn with
 * {@link Colormap#diverging}: zero is transparent, blue lowers the score, red raises it. NaN in the
 * map is transparent. The image is min–max scaled as in {@link ImageGrid#levels}. Every picture is
 * upscaled by nearest neighbor, which keeps each input pixel's attribution visibly its own.
 */
public final class Overlay {

    private static final int PANEL_GAP = 16;

    private Overlay() {}

    /** The map over the image, {@code h·scale} × {@code w·scale}, without decorations. */
    public static BufferedImage over(float[] image, float[] map, int h, int w, int scale, boolean signed, double alpha) {
        check("image", image, h, w, scale);
        check("map", map, h, w, scale);
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        int[] grey = ImageGrid.levels(image);
        double[] t = normalized(map, signed);
        int[] rgb = new int[h * w];
        for (int i = 0; i < rgb.length; i++) {
            int v = grey[i];
            double a = Double.isNaN(t[i]) ? 0 : alpha * Math.abs(t[i]);
            if (a == 0) {
                rgb[i] = 0xFF000000 | v << 16 | v << 8 | v;
            } else {
                int c = color(t[i], signed);
                rgb[i] = 0xFF000000 | mix(v, c >> 16, a) << 16 | mix(v, c >> 8, a) << 8 | mix(v, c, a);
            }
        }
        return upscale(rgb, h, w, scale);
    }

    /** The map alone, opaque: inferno from 0 (black) to the maximum, or blue–white–red when signed. */
    public static BufferedImage map(float[] map, int h, int w, int scale, boolean signed) {
        check("map", map, h, w, scale);
        double[] t = normalized(map, signed);
        int[] rgb = new int[h * w];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = Double.isNaN(t[i]) ? 0xFF808080 : color(t[i], signed);
        }
        return upscale(rgb, h, w, scale);
    }

    /**
     * Pictures of one size side by side, each with a caption above (e.g. "input", "Grad-CAM",
     * "overlay"), under a title. {@code captions} may be null for none.
     */
    public static BufferedImage panels(String title, List<BufferedImage> images, List<String> captions) {
        if (images == null || images.isEmpty()) {
            throw new IllegalArgumentException("panels needs at least one image");
        }
        if (captions != null && captions.size() != images.size()) {
            throw new IllegalArgumentException(
                    "captions has " + captions.size() + " entries but there are " + images.size() + " images");
        }
        int pw = images.get(0).getWidth();
        int ph = images.get(0).getHeight();
        for (int i = 1; i < images.size(); i++) {
            BufferedImage im = images.get(i);
            if (im.getWidth() != pw || im.getHeight() != ph) {
                throw new IllegalArgumentException("panel " + i + " is " + im.getWidth() + "x" + im.getHeight()
                        + " but panel 0 is " + pw + "x" + ph);
            }
        }
        Graphics2D probe = Canvas.graphics(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB));
        double titleH = Axes.empty(title) ? 0 : Canvas.height(probe, Canvas.TITLE) + 10;
        double titleW = Axes.empty(title) ? 0 : Canvas.width(probe, Canvas.TITLE, title);
        double captionH = captions == null ? 0 : Canvas.height(probe, Canvas.LABEL) + 6;
        probe.dispose();

        int pad = (int) Axes.PAD;
        int k = images.size();
        int rowW = k * pw + (k - 1) * PANEL_GAP;
        int width = Math.max(rowW, (int) Math.ceil(titleW)) + 2 * pad;
        int height = (int) Math.ceil(2 * pad + titleH + captionH + ph);
        BufferedImage img = Canvas.blank(width, height, 1, 1);
        Graphics2D g = Canvas.graphics(img);
        Axes.title(g, title, width);
        int x0 = (width - rowW) / 2;
        int y = (int) Math.round(pad + titleH + captionH);
        for (int i = 0; i < k; i++) {
            int x = x0 + i * (pw + PANEL_GAP);
            g.drawImage(images.get(i), x, y, null);
            g.setStroke(Canvas.stroke(1f));
            g.setColor(new Color(0xBFBFBF));
            g.draw(new Rectangle2D.Double(x - 0.5, y - 0.5, pw + 1, ph + 1));
            if (captions != null) {
                g.setFont(Canvas.LABEL);
                g.setColor(Canvas.TEXT);
                Canvas.text(g, Canvas.fit(g, Canvas.LABEL, captions.get(i), pw + PANEL_GAP - 4), x + pw / 2.0, y - 5,
                        Canvas.CENTER, Canvas.BASELINE);
            }
        }
        g.dispose();
        return img;
    }

    /**
     * The map scaled to [0, 1] by its maximum (values at or below zero become 0), or to [−1, 1] by
     * its largest magnitude when signed; all zeros when there is nothing positive (or nonzero) to
     * scale by. NaN stays NaN.
     */
    private static double[] normalized(float[] map, boolean signed) {
        double top = 0;
        for (float v : map) {
            if (Float.isFinite(v)) {
                top = Math.max(top, signed ? Math.abs(v) : v);
            }
        }
        double[] t = new double[map.length];
        for (int i = 0; i < map.length; i++) {
            float v = map[i];
            if (Float.isNaN(v)) {
                t[i] = Double.NaN;
            } else if (top == 0) {
                t[i] = 0;
            } else if (Float.isInfinite(v)) {
                t[i] = signed ? Math.signum(v) : v > 0 ? 1 : 0;
            } else {
                t[i] = signed ? v / top : Math.max(0, v / top);
            }
        }
        return t;
    }

    private static int color(double t, boolean signed) {
        return signed ? Colormap.diverging(t) : Colormap.inferno(t);
    }

    private static int mix(int grey, int c, double a) {
        return (int) Math.round(grey * (1 - a) + (c & 0xFF) * a);
    }

    private static BufferedImage upscale(int[] rgb, int h, int w, int scale) {
        BufferedImage img = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < h * scale; r++) {
            for (int c = 0; c < w * scale; c++) {
                img.setRGB(c, r, rgb[(r / scale) * w + c / scale]);
            }
        }
        return img;
    }

    private static void check(String what, float[] values, int h, int w, int scale) {
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("size must be at least 1x1, got " + h + "x" + w);
        }
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be at least 1, got " + scale);
        }
        if (values == null || values.length != h * w) {
            throw new IllegalArgumentException(what + " has " + (values == null ? "no" : values.length)
                    + " values, but " + h + "x" + w + " needs " + h * w);
        }
    }
}
