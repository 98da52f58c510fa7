package org.omomi.explain.plot;

import java.awt.Color;

/**
 * Color maps from a number to an opaque ARGB color. The sequential maps are matplotlib's viridis
 * and inferno (van der Walt and Smith, 2015): perceptually uniform, readable in grey and by people
 * with color-vision deficiencies, unlike "jet". Each is sampled at 11 stops and interpolated
 * linearly in RGB, which stays within a few levels of the 256-entry tables. Values outside the
 * domain are clamped; NaN gives mid grey.
 */
public final class Colormap {

    private static final int[] VIRIDIS = {
        0x440154, 0x482475, 0x414487, 0x355F8D, 0x2A788E, 0x21918C,
        0x22A884, 0x44BF70, 0x7AD151, 0xBDDF26, 0xFDE725,
    };

    private static final int[] INFERNO = {
        0x000004, 0x160B39, 0x420A68, 0x6A176E, 0x932667, 0xBC3754,
        0xDD513A, 0xF37819, 0xFCA50A, 0xF6D746, 0xFCFFA4,
    };

    /** ColorBrewer RdBu (reversed so negative is blue) with pure white at its center. */
    private static final int[] DIVERGING = {
        0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xFFFFFF, 0xFDDBC7, 0xF4A582, 0xD6604D, 0xB2182B,
    };

    /**
     * The Okabe–Ito palette (Okabe and Ito, "Color Universal Design", 2008), ordered so the first
     * colors are the most distinct lines on white; its yellow, faint on white, comes last.
     */
    private static final Color[] CATEGORY = {
        new Color(0x0072B2), // blue
        new Color(0xD55E00), // vermilion
        new Color(0x009E73), // bluish green
        new Color(0xE69F00), // orange
        new Color(0xCC79A7), // reddish purple
        new Color(0x56B4E9), // sky blue
        new Color(0x000000), // black
        new Color(0xF0E442), // yellow
    };

    private static final int NAN = 0xFF808080;

    private Colormap() {}

    /** Viridis at t in [0, 1]: dark purple at 0, green at 0.6, yellow at 1. */
    public static int viridis(double t) {
        return sample(VIRIDIS, t);
    }

    /** Inferno at t in [0, 1]: black at 0, red at 0.5, pale yellow at 1; heat over a grey image. */
    public static int inferno(double t) {
        return sample(INFERNO, t);
    }

    /** Blue–white–red for signed values: t in [−1, 1], blue at −1, white at 0, red at +1. */
    public static int diverging(double t) {
        return Double.isNaN(t) ? NAN : sample(DIVERGING, (t + 1) / 2);
    }

    /** The i-th color of the categorical palette, cycling after 8; i may be negative. */
    public static Color category(int i) {
        return CATEGORY[Math.floorMod(i, CATEGORY.length)];
    }

    private static int sample(int[] stops, double t) {
        if (Double.isNaN(t)) {
            return NAN;
        }
        double p = Math.max(0, Math.min(1, t)) * (stops.length - 1);
        int i = Math.min((int) p, stops.length - 2);
        double f = p - i;
        int a = stops[i];
        int b = stops[i + 1];
        int r = mix(a >> 16, b >> 16, f);
        int g = mix(a >> 8, b >> 8, f);
        int bl = mix(a, b, f);
        return 0xFF000000 | r << 16 | g << 8 | bl;
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round((a & 0xFF) * (1 - f) + (b & 0xFF) * f);
    }
}
