package org.omomi.explain.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tiles in a grid: layout, scaling, NaN in red and input checks. */
class ImageGridTest {

    private static List<float[]> ramps(int n, int h, int w) {
        List<float[]> tiles = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            float[] v = new float[h * w];
            for (int i = 0; i < v.length; i++) {
                v[i] = i * (t + 1);
            }
            tiles.add(v);
        }
        return tiles;
    }

    @Test
    void gridHoldsEveryTileAtItsScale() {
        BufferedImage img = new ImageGrid(null, ramps(5, 3, 4), 3, 4).columns(2).scale(10).render();
        // 2 columns of 40 px with an 8 px gap, 3 rows of 30 px, 14 px padding around.
        assertEquals(2 * 14 + 2 * 40 + 8, img.getWidth());
        assertEquals(2 * 14 + 3 * 30 + 2 * 8, img.getHeight());
        // The first tile's first value is its minimum (black), its last its maximum (white).
        assertEquals(0xFF000000, img.getRGB(14 + 2, 14 + 2));
        assertEquals(0xFFFFFFFF, img.getRGB(14 + 35, 14 + 25));
    }

    @Test
    void defaultScaleMakesTheGridAbout600PixelsWide() {
        BufferedImage img = new ImageGrid("t", ramps(16, 5, 5), 5, 5).render();
        assertTrue(img.getWidth() > 500 && img.getWidth() < 700, "width " + img.getWidth());
        BufferedImage big = new ImageGrid("t", ramps(4, 1, 1000), 1, 1000).render();
        assertTrue(big.getWidth() >= 2000, "scale is at least 1");
    }

    @Test
    void nanIsRedAndCaptionsFit() {
        float[] t = new float[] {0, 1, Float.NaN, 3};
        BufferedImage img = new ImageGrid("nan", List.of(t), 2, 2).scale(20)
                .captions(List.of("a caption far longer than the tile is wide")).render();
        assertTrue(Pixels.count(img, p -> p == 0xFFFF0000) >= 20 * 20, "the NaN cell is red");
        BufferedImage viridis = new ImageGrid(null, List.of(new float[] {0, 1}), 1, 2).scale(10).colormap(true).render();
        assertEquals(Colormap.viridis(0), viridis.getRGB(14 + 5, 14 + 5));
        assertEquals(Colormap.viridis(1), viridis.getRGB(14 + 15, 14 + 5));
    }

    @Test
    void refusesBadInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ImageGrid("x", List.of(new float[6], new float[5]), 2, 3));
        assertTrue(e.getMessage().contains("tile 1 has 5 values, but 2x3 needs 6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ImageGrid("x", List.of(), 2, 3));
        ImageGrid grid = new ImageGrid("x", ramps(3, 2, 2), 2, 2);
        assertThrows(IllegalArgumentException.class, () -> grid.captions(List.of("one")));
        assertThrows(IllegalArgumentException.class, () -> grid.columns(0));
        assertThrows(IllegalArgumentException.class, () -> grid.scale(0));
        assertThrows(IndexOutOfBoundsException.class, () -> grid.tile(3));
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, grid.tile(2).getType());
    }
}
