package org.omomi.explain.plot;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tick positions and their labels for one axis. Linear ticks step by 1, 2 or 5 × 10<sup>k</sup>, the
 * steps people read without effort (Heckbert, "Nice numbers for graph labels", Graphics Gems 1990);
 * log ticks sit on powers of ten, with 2 and 5 between them when the axis spans too few decades.
 * Ticks lie inside [lo, hi]: the axis is not stretched out to a tick at either end, as in matplotlib.
 *
 * @param values tick positions in data units, increasing
 * @param labels one compact label per value
 * @param minor positions of unlabeled minor grid lines (2..9 × 10<sup>k</sup> on a log axis), may be empty
 */
record Ticks(double[] values, String[] labels, double[] minor) {

    /**
     * About {@code target} linear ticks in [lo, hi] (at least 2 where the range allows), one step
     * apart, the step the smallest 1, 2, 5 × 10<sup>k</sup> not below (hi − lo) / target.
     */
    static Ticks linear(double lo, double hi, int target) {
        checkRange(lo, hi);
        Step step = Step.atLeast((hi - lo) / Math.max(1, target));
        double[] values = step.within(lo, hi);
        while (values.length < 2 && step.exponent > -330) {
            step = step.smaller();
            values = step.within(lo, hi);
        }
        return new Ticks(values, labels(values, step), new double[0]);
    }

    /**
     * Log-scale ticks in [lo, hi] (both positive): every power of ten, or every second, third, ...
     * when there are more than {@code target}; 1, 2, 5 × 10<sup>k</sup> when fewer than two powers of
     * ten fall inside; linear ticks when even those are too few (a range inside one octave).
     */
    static Ticks log10(double lo, double hi, int target) {
        checkRange(lo, hi);
        if (!(lo > 0)) {
            throw new IllegalArgumentException("log axis needs positive bounds, got [" + lo + ", " + hi + "]");
        }
        int e0 = (int) Math.ceil(Math.log10(lo) - 1e-9);
        int e1 = (int) Math.floor(Math.log10(hi) + 1e-9);
        List<Double> major = new ArrayList<>();
        List<Double> minor = new ArrayList<>();
        int decades = e1 - e0 + 1;
        if (decades >= 2) {
            int every = (decades + Math.max(1, target) - 1) / Math.max(1, target);
            for (int e = e0; e <= e1; e++) {
                if (Math.floorMod(e, every) == 0) {
                    major.add(pow10(e));
                }
            }
            if (major.size() < 2) {
                major.clear();
                for (int e = e0; e <= e1; e += every) {
                    major.add(pow10(e));
                }
            }
            if (every == 1 && decades <= 8) {
                for (int e = e0 - 1; e <= e1; e++) {
                    for (int m = 2; m <= 9; m++) {
                        double v = mantissaTimesPow10(m, e);
                        if (v >= lo && v <= hi) {
                            minor.add(v);
                        }
                    }
                }
            }
        } else {
            for (int e = e0 - 1; e <= e1 + 1; e++) {
                for (int m : new int[] {1, 2, 5}) {
                    double v = mantissaTimesPow10(m, e);
                    if (v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12)) {
                        major.add(v);
                    }
                }
            }
            if (major.size() < 2) {
                return linear(lo, hi, target);
            }
        }
        double[] values = unbox(major);
        String[] labels = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            labels[i] = compact(values[i], 3);
        }
        return new Ticks(values, labels, unbox(minor));
    }

    /**
     * A short label for any number: {@code 0}, {@code 0.25}, {@code 1234}, {@code 12.3k},
     * {@code 1.5M}, {@code 1e-5}, {@code 2.5e17}; {@code sig} significant digits (more for integers
     * below 10 000, which are written whole).
     */
    static String compact(double v, int sig) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "−∞";
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        int digits = a >= 1 && a < 1e4 ? Math.max(sig, (int) Math.floor(Math.log10(a)) + 1) : sig;
        BigDecimal b = BigDecimal.valueOf(v).round(new MathContext(digits));
        a = Math.abs(b.doubleValue());
        if (a < 1e-3 || a >= 1e15) {
            return scientific(b);
        }
        if (a >= 1e4) {
            int k = a >= 1e12 ? 4 : a >= 1e9 ? 3 : a >= 1e6 ? 2 : 1;
            return minus(b.movePointLeft(3 * k).stripTrailingZeros().toPlainString()) + "kMGT".charAt(k - 1);
        }
        return minus(b.stripTrailingZeros().toPlainString());
    }

    /**
     * Labels sharing one format, so an axis reads 0.5, 1.0, 1.5 rather than 0.5, 1, 1.5: decimals
     * from the step, thousands as k, M, G, T above 10 000, powers of ten below 0.001; zero is "0".
     */
    private static String[] labels(double[] values, Step step) {
        double max = 0;
        for (double v : values) {
            max = Math.max(max, Math.abs(v));
        }
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (v == 0) {
                out[i] = "0";
            } else if (max < 1e-3 || max >= 1e15) {
                out[i] = scientific(BigDecimal.valueOf(v).round(MathContext.DECIMAL64).stripTrailingZeros());
            } else if (max >= 1e4) {
                int k = max >= 1e12 ? 4 : max >= 1e9 ? 3 : max >= 1e6 ? 2 : 1;
                int decimals = Math.max(0, 3 * k - step.exponent);
                out[i] = minus(String.format(Locale.ROOT, "%." + decimals + "f", v / pow10(3 * k)))
                        + "kMGT".charAt(k - 1);
            } else {
                int decimals = Math.max(0, -step.exponent);
                out[i] = minus(String.format(Locale.ROOT, "%." + decimals + "f", v));
            }
        }
        return out;
    }

    private static String scientific(BigDecimal b) {
        b = b.stripTrailingZeros();
        int exp = b.precision() - b.scale() - 1;
        String mantissa = b.movePointLeft(exp).stripTrailingZeros().toPlainString();
        return minus(mantissa) + "e" + exp;
    }

    /** Uses the typographic minus sign, which is as wide as a digit, as in matplotlib. */
    private static String minus(String s) {
        return s.startsWith("-") ? "−" + s.substring(1) : s;
    }

    static double pow10(int e) {
        return Double.parseDouble("1e" + e);
    }

    private static double mantissaTimesPow10(long m, int e) {
        return BigDecimal.valueOf(m).scaleByPowerOfTen(e).doubleValue();
    }

    private static void checkRange(double lo, double hi) {
        if (!(Double.isFinite(lo) && Double.isFinite(hi) && lo < hi)) {
            throw new IllegalArgumentException("axis range must be finite with lo < hi, got [" + lo + ", " + hi + "]");
        }
    }

    private static double[] unbox(List<Double> list) {
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }

    /** A step of mantissa × 10^exponent with mantissa 1, 2 or 5. */
    private record Step(int mantissa, int exponent) {

        static Step atLeast(double rough) {
            if (!(rough > 0) || Double.isInfinite(rough)) {
                throw new IllegalArgumentException("tick step must be positive and finite, got " + rough);
            }
            int e = (int) Math.floor(Math.log10(rough));
            for (int attempt = 0; attempt < 3; attempt++, e++) {
                for (int m : new int[] {1, 2, 5}) {
                    if (mantissaTimesPow10(m, e) >= rough * (1 - 1e-12)) {
                        return new Step(m, e);
                    }
                }
            }
            throw new IllegalStateException("no step for " + rough);
        }

        Step smaller() {
            return mantissa == 5 ? new Step(2, exponent) : mantissa == 2 ? new Step(1, exponent) : new Step(5, exponent - 1);
        }

        double value() {
            return mantissaTimesPow10(mantissa, exponent);
        }

        /** Multiples of the step inside [lo, hi], each computed exactly in decimal. */
        double[] within(double lo, double hi) {
            double s = value();
            long k0 = (long) Math.ceil(lo / s - 1e-9);
            long k1 = (long) Math.floor(hi / s + 1e-9);
            if (k1 - k0 > 1000) {
                return new double[0];
            }
            double[] out = new double[(int) Math.max(0, k1 - k0 + 1)];
            for (int i = 0; i < out.length; i++) {
                out[i] = BigDecimal.valueOf((k0 + i) * mantissa).scaleByPowerOfTen(exponent).doubleValue();
            }
            return out;
        }
    }
}
