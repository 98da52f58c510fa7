package org.omomi.explain.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Heat maps over grey images. */
class OverlayTest {

    private static final int H = 4;
    private static final int W = 5;

    private static float[] image() {
        float[] img = new float[H * W];
        for (int i = 0; i < img.length; i++) {
            img[i] = i;
        }
        return img;
    }

    private static int grey(int level) {
        return 0xFF000000 | level << 16 | level << 8 | level;
    }

    /** Every pixel equals the image's own grey level: the map added nothing. */
    private static void assertUnchanged(BufferedImage out, int scale) {
        int[] levels = ImageGrid.levels(image());
        for (int y = 0; y < H * scale; y++) {
            for (int x = 0; x < W * scale; x++) {
                assertEquals(grey(levels[(y / scale) * W + x / scale]), out.getRGB(x, y), "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void nonPositiveUnsignedMapLeavesTheImageAlone() {
        float[] map = new float[H * W];
        for (int i = 0; i < map.length; i++) {
            map[i] = -i;
        }
        BufferedImage out = Overlay.over(image(), map, H, W, 3, false, 0.7);
        assertEquals(W * 3, out.getWidth());
        assertEquals(H * 3, out.getHeight());
        assertUnchanged(out, 3);
    }

    @Test
    void zeroSignedMapLeavesTheImageAlone() {
        assertUnchanged(Overlay.over(image(), new float[H * W], H, W, 2, true, 1.0), 2);
    }

    @Test
    void largestValueIsColoredAndOthersKeepTheirGrey() {
        float[] map = new float[H * W];
        map[7] = 2.5f;
        BufferedImage out = Overlay.over(image(), map, H, W, 2, false, 0.8);
        int levels7 = ImageGrid.levels(image())[7];
        int p = out.getRGB(2 * 2, 1 * 2); // row 1, column 2 is index 7
        assertNotEquals(grey(levels7), p, "the map's maximum is colored");
        assertTrue(Pixels.r(p) != Pixels.g(p) || Pixels.g(p) != Pixels.b(p), "not grey: " + Integer.toHexString(p));
        assertEquals(grey(ImageGrid.levels(image())[0]), out.getRGB(0, 0));

        float[] signed = new float[H * W];
        signed[3] = -1;
        signed[4] = 1;
        BufferedImage s = Overlay.over(image(), signed, H, W, 1, true, 1.0);
        assertEquals(Colormap.diverging(-1), s.getRGB(3, 0), "alpha 1 at the extreme shows the pure color");
        assertEquals(Colormap.diverging(1), s.getRGB(4, 0));
    }

    @Test
    void mapAloneUsesTheColormaps() {
        float[] map = {0, 1, 2, 4};
        BufferedImage m = Overlay.map(map, 2, 2, 1, false);
        assertEquals(Colormap.inferno(0), m.getRGB(0, 0));
        assertEquals(Colormap.inferno(0.5), m.getRGB(0, 1));
        assertEquals(Colormap.inferno(1), m.getRGB(1, 1));
        BufferedImage s = Overlay.map(new float[] {-2, 0, 1, 2}, 2, 2, 1, true);
        assertEquals(Colormap.diverging(-1), s.getRGB(0, 0));
        assertEquals(0xFFFFFFFF, s.getRGB(1, 0), "zero is white");
    }

    @Test
    void panelsLineUpAndRefuseMixedSizes() {
        BufferedImage a = Overlay.map(new float[] {0, 1, 2, 3}, 2, 2, 30, false);
        BufferedImage b = Overlay.over(new float[] {0, 1, 2, 3}, new float[] {0, 1, 2, 3}, 2, 2, 30, false, 0.5);
        BufferedImage p = Overlay.panels("Grad-CAM", List.of(a, b), List.of("map", "overlay"));
        assertTrue(p.getWidth() >= 2 * 60 + 16 && p.getHeight() > 60 + 20);
        BufferedImage c = Overlay.map(new float[] {0, 1}, 1, 2, 30, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Overlay.panels("x", List.of(a, c), List.of("a", "c")));
        assertTrue(e.getMessage().contains("panel 1 is 60x30 but panel 0 is 60x60"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Overlay.panels("x", List.of(a), List.of("a", "b")));
        e = assertThrows(IllegalArgumentException.class, () -> Overlay.over(new float[4], new float[3], 2, 2, 1, false, 0.5));
        assertTrue(e.getMessage().contains("map has 3 values, but 2x2 needs 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Overlay.over(new float[4], new float[4], 2, 2, 1, false, 1.5));
    }
}
