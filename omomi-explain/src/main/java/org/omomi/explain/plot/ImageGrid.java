package org.omomi.explain.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Small grey-scale images in a grid: convolution filters, feature maps, rows of a dense layer's
 * weights seen as images. Each tile is scaled by its own minimum and maximum, because filters of
 * one layer differ in scale and a shared scale would leave most of them flat grey; the picture shows
 * each tile's pattern, not its magnitude. NaN values are drawn red, so a diverged filter is seen at
 * once.
 */
public final class ImageGrid {

    /** About how wide the grid is drawn when no scale is given, in pixels. */
    private static final int TARGET_WIDTH = 600;
    private static final int GAP = 8;
    private static final int NAN = 0xFFFF0000;

    private final String title;
    private final List<float[]> tiles;
    private final int h;
    private final int w;
    private int columns;
    private int scale;
    private List<String> captions;
    private boolean viridis;

    /** {@code tiles.get(i)} is an h × w tile in row-major order. */
    public ImageGrid(String title, List<float[]> tiles, int h, int w) {
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("tile size must be at least 1x1, got " + h + "x" + w);
        }
        if (tiles == null || tiles.isEmpty()) {
            throw new IllegalArgumentException("an image grid needs at least one tile");
        }
        List<float[]> copy = new ArrayList<>(tiles.size());
        for (int i = 0; i < tiles.size(); i++) {
            float[] t = tiles.get(i);
            if (t == null || t.length != h * w) {
                throw new IllegalArgumentException("tile " + i + " has " + (t == null ? "no" : t.length)
                        + " values, but " + h + "x" + w + " needs " + h * w);
            }
            copy.add(t.clone());
        }
        this.title = title;
        this.tiles = copy;
        this.h = h;
        this.w = w;
    }

    /** Tiles per row; default ceil(sqrt(n)), a square grid. */
    public ImageGrid columns(int c) {
        if (c < 1) {
            throw new IllegalArgumentException("columns must be at least 1, got " + c);
        }
        columns = c;
        return this;
    }

    /** Screen pixels per value (nearest-neighbor); default the largest that keeps the grid near 600 pixels wide, at least 1. */
    public ImageGrid scale(int pixelsPerValue) {
        if (pixelsPerValue < 1) {
            throw new IllegalArgumentException("scale must be at least 1, got " + pixelsPerValue);
        }
        scale = pixelsPerValue;
        return this;
    }

    /** A caption under each tile (e.g. "filter 3"), one per tile; long ones are shortened with an ellipsis. */
    public ImageGrid captions(List<String> captions) {
        if (captions != null && captions.size() != tiles.size()) {
            throw new IllegalArgumentException(
                    "captions has " + captions.size() + " entries but there are " + tiles.size() + " tiles");
        }
        this.captions = captions == null ? null : List.copyOf(captions);
        return this;
    }

    /** Viridis instead of grey; default off (grey, where darker is smaller). */
    public ImageGrid colormap(boolean viridis) {
        this.viridis = viridis;
        return this;
    }

    public BufferedImage render() {
        int n = tiles.size();
        int cols = columns > 0 ? Math.min(columns, n) : (int) Math.ceil(Math.sqrt(n));
        int rows = (n + cols - 1) / cols;
        int s = scale > 0 ? scale : Math.max(1, (TARGET_WIDTH - (cols - 1) * GAP) / (cols * w));
        int tw = w * s;
        int th = h * s;

        Graphics2D probe = Canvas.graphics(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB));
        double titleH = Axes.empty(title) ? 0 : Canvas.height(probe, Canvas.TITLE) + 10;
        double titleW = Axes.empty(title) ? 0 : Canvas.width(probe, Canvas.TITLE, title);
        double captionH = captions == null ? 0 : Canvas.height(probe, Canvas.TICK) + 4;
        probe.dispose();

        int pad = (int) Axes.PAD;
        int gridW = cols * tw + (cols - 1) * GAP;
        int width = Math.max(gridW + 2 * pad, (int) Math.ceil(titleW) + 2 * pad);
        int height = (int) Math.ceil(2 * pad + titleH + rows * (th + captionH) + (rows - 1) * GAP);
        BufferedImage img = Canvas.blank(width, height, 1, 1);
        Graphics2D g = Canvas.graphics(img);
        Axes.title(g, title, width);

        int x0 = (width - gridW) / 2;
        int y0 = (int) Math.round(pad + titleH);
        for (int i = 0; i < n; i++) {
            int x = x0 + (i % cols) * (tw + GAP);
            int y = (int) Math.round(y0 + (i / cols) * (th + captionH + GAP));
            float[] t = tiles.get(i);
            int[] levels = levels(t);
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < w; c++) {
                    int k = r * w + c;
                    int rgb = Float.isNaN(t[k]) ? NAN : color(levels[k]);
                    for (int dy = 0; dy < s; dy++) {
                        for (int dx = 0; dx < s; dx++) {
                            img.setRGB(x + c * s + dx, y + r * s + dy, rgb);
                        }
                    }
                }
            }
            g.setStroke(Canvas.stroke(1f));
            g.setColor(new Color(0xBFBFBF));
            g.draw(new Rectangle2D.Double(x - 0.5, y - 0.5, tw + 1, th + 1));
            if (captions != null) {
                g.setFont(Canvas.TICK);
                g.setColor(Canvas.TEXT);
                String cap = Canvas.fit(g, Canvas.TICK, captions.get(i), tw + GAP - 2);
                Canvas.text(g, cap, x + tw / 2.0, y + th + 3, Canvas.CENTER, Canvas.TOP);
            }
        }
        g.dispose();
        return img;
    }

    private int color(int level) {
        return viridis ? Colormap.viridis(level / 255.0) : 0xFF000000 | level << 16 | level << 8 | level;
    }

    /**
     * The grey levels a tile is drawn with: round(255 · (v − min) / (max − min)) over the tile's
     * finite values, 128 everywhere for a constant tile. NaN gets 0 (render draws it red), +∞ 255
     * and −∞ 0.
     */
    public static int[] levels(float[] tile) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float v : tile) {
            if (Float.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        int[] out = new int[tile.length];
        for (int i = 0; i < tile.length; i++) {
            float v = tile[i];
            if (Float.isNaN(v)) {
                out[i] = 0;
            } else if (Float.isInfinite(v)) {
                out[i] = v > 0 ? 255 : 0;
            } else if (max == min) {
                out[i] = 128;
            } else {
                out[i] = (int) Math.round(255 * (v - min) / (max - min));
            }
        }
        return out;
    }

    /**
     * Tile {@code i} alone at one pixel per value, h × w, 8-bit grey (TYPE_BYTE_GRAY), with no title,
     * border or caption: what a per-filter PNG holds and what a round-trip test reads back.
     */
    public BufferedImage tile(int i) {
        Objects.checkIndex(i, tiles.size());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSamples(0, 0, w, h, 0, levels(tiles.get(i)));
        return img;
    }
}
