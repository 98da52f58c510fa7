package org.omomi.explain.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** Scatter plots: each group in its own palette colour, where its points are; awkward data renders. */
class ScatterPlotTest {

    /** A lone dot's colour: the group's colour at the dots' opacity over the white background. */
    private static Color dot(int group) {
        Color c = ScatterPlot.color(group);
        double a = ScatterPlot.DOT_ALPHA;
        return new Color((int) Math.round(a * c.getRed() + (1 - a) * 255), (int) Math.round(a * c.getGreen() + (1 - a) * 255),
                (int) Math.round(a * c.getBlue() + (1 - a) * 255));
    }

    private static boolean close(int p, Color c) {
        return Math.abs(((p >> 16) & 0xFF) - c.getRed()) <= 40 && Math.abs(((p >> 8) & 0xFF) - c.getGreen()) <= 40
                && Math.abs((p & 0xFF) - c.getBlue()) <= 40;
    }

    @Test
    void groupsAreDrawnInTheirColoursWhereTheirPointsAre() {
        double[] x0 = new double[50];
        double[] y0 = new double[50];
        double[] x1 = new double[50];
        double[] y1 = new double[50];
        for (int i = 0; i < 50; i++) {
            x0[i] = -1 - 0.01 * i;
            y0[i] = -1 + 0.01 * (i % 7);
            x1[i] = 1 + 0.01 * i;
            y1[i] = 1 - 0.01 * (i % 5);
        }
        BufferedImage img = new ScatterPlot("two clusters", "x", "y").group("left", x0, y0).group("right", x1, y1).render(600, 400);
        assertEquals(600, img.getWidth());
        int leftHalf0 = 0;
        int rightHalf0 = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if (close(img.getRGB(x, y), dot(0))) {
                    if (x < img.getWidth() / 2) {
                        leftHalf0++;
                    } else {
                        rightHalf0++;
                    }
                }
            }
        }
        assertTrue(leftHalf0 > 100, "the first group's dots are on the left: " + leftHalf0);
        assertTrue(Pixels.near(img, dot(1), 40) > 100, "the second group is drawn in the second colour");
        assertTrue(rightHalf0 < leftHalf0 / 3, "the first colour stays with its points (legend swatch aside): " + rightHalf0);
    }

    @Test
    void awkwardDataRenders() {
        ScatterPlot empty = new ScatterPlot("nothing", "x", "y");
        assertFalse(empty.hasData());
        assertEquals(300, empty.render(300, 200).getWidth());
        ScatterPlot nan = new ScatterPlot(null, null, null).group("nan", new double[] {Double.NaN, 1}, new double[] {1, Double.POSITIVE_INFINITY});
        assertFalse(nan.hasData());
        nan.render(300, 200);
        ScatterPlot one = new ScatterPlot("one", "x", "y").group("", new double[] {2}, new double[] {3});
        assertTrue(one.hasData());
        assertTrue(Pixels.near(one.render(300, 200), dot(0), 40) > 5, "a single point shows");
        assertThrows(IllegalArgumentException.class, () -> new ScatterPlot("t", "x", "y").group("bad", new double[2], new double[3]));
    }
}
