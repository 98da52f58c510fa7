package org.omomi.explain.plot;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.function.IntPredicate;

/** Pixel counts for tests that check a picture is not blank and has the right colors where expected. */
final class Pixels {

    private Pixels() {}

    /** Pixels within {@code tolerance} of {@code c} in each of red, green and blue. */
    static int near(BufferedImage img, Color c, int tolerance) {
        return count(img, p -> Math.abs(((p >> 16) & 0xFF) - c.getRed()) <= tolerance
                && Math.abs(((p >> 8) & 0xFF) - c.getGreen()) <= tolerance
                && Math.abs((p & 0xFF) - c.getBlue()) <= tolerance);
    }

    /** Clearly red pixels: red high, green and blue well below it. */
    static int reddish(BufferedImage img) {
        return count(img, p -> r(p) > 140 && r(p) - g(p) > 80 && r(p) - b(p) > 60);
    }

    /** Clearly blue pixels: blue high, red well below it. */
    static int bluish(BufferedImage img) {
        return count(img, p -> b(p) > 120 && b(p) - r(p) > 70);
    }

    static int count(BufferedImage img, IntPredicate test) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if (test.test(img.getRGB(x, y))) {
                    n++;
                }
            }
        }
        return n;
    }

    static int r(int p) {
        return (p >> 16) & 0xFF;
    }

    static int g(int p) {
        return (p >> 8) & 0xFF;
    }

    static int b(int p) {
        return p & 0xFF;
    }
}
