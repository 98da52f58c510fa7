package org.omomi.explain.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** Scatter plots: each group in its own color where its points are, crosses on top, awkward data renders. */
class ScatterChartTest {

    @Test
    void groupsLandInTheirOwnColorsAndPlaces() {
        int n = 400;
        double[] ax = new double[n];
        double[] ay = new double[n];
        double[] bx = new double[n];
        double[] by = new double[n];
        for (int i = 0; i < n; i++) {
            ax[i] = -5 + 0.01 * (i % 20);
            ay[i] = -5 + 0.01 * (i / 20);
            bx[i] = 5 + 0.01 * (i % 20);
            by[i] = 5 + 0.01 * (i / 20);
        }
        BufferedImage img = new ScatterChart("segments", "PC1", "PC2").group("a", ax, ay).group("b", bx, by).render(800, 500);
        assertEquals(800, img.getWidth());
        // Group a sits bottom left, b top right; each in its palette color (mixed with white by the dots' alpha).
        BufferedImage bottomLeft = img.getSubimage(0, 250, 400, 250);
        BufferedImage topRight = img.getSubimage(400, 0, 400, 250);
        int aLeft = Pixels.near(bottomLeft, Colormap.category(0), 40);
        int bRight = Pixels.near(topRight, Colormap.category(1), 40);
        assertTrue(aLeft > 30, "group a's dots bottom left: " + aLeft);
        assertTrue(bRight > 30, "group b's dots top right: " + bRight);
        assertEquals(0, Pixels.near(bottomLeft, Colormap.category(1), 20), "no b dots bottom left");
        assertEquals(0, Pixels.near(img.getSubimage(0, 0, 400, 250), Colormap.category(0), 20), "no a dots top left");
    }

    @Test
    void marksAreDrawnOnTop() {
        double[] x = {0, 1, 2};
        double[] y = {0, 1, 2};
        BufferedImage without = new ScatterChart("t", "x", "y").group("g", x, y).render(400, 300);
        BufferedImage with = new ScatterChart("t", "x", "y").group("g", x, y).mark(1, 1, 2).render(400, 300);
        int cross = Pixels.near(with, Colormap.category(2), 30) - Pixels.near(without, Colormap.category(2), 30);
        assertTrue(cross > 40, "the cross shows in group 2's color: " + cross);
    }

    @Test
    void awkwardDataRenders() {
        double nan = Double.NaN;
        BufferedImage img = new ScatterChart(null, null, null)
                .group("nan", new double[] {nan, 1}, new double[] {1, Double.POSITIVE_INFINITY})
                .group("", new double[0], new double[0])
                .group("one", new double[] {3}, new double[] {3})
                .mark(nan, 0, 0)
                .render(300, 200);
        assertEquals(200, img.getHeight());
        assertEquals(300, new ScatterChart("empty", "x", "y").render(300, 200).getWidth());
        assertThrows(IllegalArgumentException.class, () -> new ScatterChart("t", "x", "y").group("g", new double[1], new double[2]));
    }
}
