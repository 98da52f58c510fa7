package org.omomi.dashboard;

import java.nio.charset.StandardCharsets;

/**
 * The quick way through the commonest prediction body, {@code {"rows": [[0.1, 0.5, …], …]}} —
 * rows of numbers only — read straight from the request's bytes into floats, with no map, list or
 * boxed number on the way. Any other body (named fields, strings, images, a syntax error, a number
 * that is not finite) gives null, and the general JSON reader takes it, with its error messages.
 *
 * <p>A number becomes the float nearest the double nearest its decimal value, exactly as
 * {@code (float) Double.parseDouble(text)}: when its digits fit 2⁵³ and its power of ten is at
 * most 22, that double is one correctly rounded operation on two exact doubles (Clinger's fast
 * path). With 16 to 18 digits the same two operations are within 1.5 ulps of that double, which
 * settles the float unless it lies near a rounding midpoint ({@link #floatIsSettled}); otherwise
 * the text goes to {@link Double#parseDouble}.
 */
final class NumberRows {

    private static final double[] POWERS = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POWERS.length; i++) {
            POWERS[i] = p;
            p *= 10;
        }
    }

    private final byte[] b;
    private int pos;

    private NumberRows(byte[] b) {
        this.b = b;
    }

    /** The rows of the body, each {@code width} numbers, or null when the body is anything else. */
    static float[] parse(byte[] body, int length, int width) {
        NumberRows r = new NumberRows(body);
        r.end = length;
        try {
            return r.rows(width);
        } catch (RuntimeException e) {
            return null; // the general reader says what is wrong
        }
    }

    private int end;

    private float[] rows(int width) {
        space();
        expect('{');
        space();
        if (!literal("\"rows\"")) {
            return null;
        }
        space();
        expect(':');
        space();
        expect('[');
        float[] out = new float[width * 4];
        int n = 0;
        space();
        while (true) {
            expect('[');
            if (out.length < (n + 1) * width) {
                out = java.util.Arrays.copyOf(out, out.length * 2);
            }
            for (int j = 0; j < width; j++) {
                space();
                float v = number();
                if (!Double.isFinite(last)) {
                    return null; // the general reader names the field
                }
                out[n * width + j] = v;
                space();
                if (j < width - 1) {
                    expect(',');
                }
            }
            expect(']');
            n++;
            space();
            if (peek() == ',') {
                pos++;
                space();
                continue;
            }
            expect(']');
            break;
        }
        space();
        expect('}');
        space();
        if (pos != end) {
            return null;
        }
        return n == 0 ? null : java.util.Arrays.copyOf(out, n * width);
    }

    private double last;

    private float number() {
        int start = pos;
        boolean negative = false;
        if (peek() == '-') {
            negative = true;
            pos++;
        }
        long mantissa = 0;
        int digits = 0;
        int exp10 = 0;
        boolean exact = true;
        int intStart = pos;
        while (pos < end && isDigit(b[pos])) {
            if (digits < 18) {
                mantissa = mantissa * 10 + (b[pos] - '0');
                if (mantissa != 0) {
                    digits++;
                }
            } else {
                exact = false;
            }
            pos++;
        }
        int intDigits = pos - intStart;
        if (intDigits == 0 || (intDigits > 1 && b[intStart] == '0')) {
            throw new IllegalArgumentException("not a JSON number");
        }
        if (pos < end && b[pos] == '.') {
            pos++;
            int fracStart = pos;
            while (pos < end && isDigit(b[pos])) {
                if (digits < 18) {
                    mantissa = mantissa * 10 + (b[pos] - '0');
                    exp10--;
                    if (mantissa != 0) {
                        digits++;
                    }
                } else {
                    exact = false;
                }
                pos++;
            }
            if (pos == fracStart) {
                throw new IllegalArgumentException("not a JSON number");
            }
        }
        if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
            pos++;
            boolean negExp = false;
            if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
                negExp = b[pos] == '-';
                pos++;
            }
            int e = 0;
            int expStart = pos;
            while (pos < end && isDigit(b[pos])) {
                e = Math.min(100_000, e * 10 + (b[pos] - '0'));
                pos++;
            }
            if (pos == expStart) {
                throw new IllegalArgumentException("not a JSON number");
            }
            exp10 += negExp ? -e : e;
        }
        double v;
        if (exact && mantissa < (1L << 53) && Math.abs(exp10) <= 22) {
            double m = mantissa;
            v = exp10 >= 0 ? m * POWERS[exp10] : m / POWERS[-exp10];
            if (negative) {
                v = -v;
            }
        } else if (exact && Math.abs(exp10) <= 22) {
            // 16 to 18 digits (Python writes k/255 with up to 17): the double is not exact here,
            // but the float may still be. m rounds once and the power once, so this v is within
            // 1.5 ulps of the double nearest the text; when no midpoint between two floats lies
            // within 4 ulps of v, that double and v round to the same float. A tenth of the
            // server's time went to Double.parseDouble for such numbers.
            double m = mantissa;
            v = exp10 >= 0 ? m * POWERS[exp10] : m / POWERS[-exp10];
            if (negative) {
                v = -v;
            }
            if (!floatIsSettled(v)) {
                v = Double.parseDouble(new String(b, start, pos - start, StandardCharsets.ISO_8859_1));
            }
        } else {
            v = Double.parseDouble(new String(b, start, pos - start, StandardCharsets.ISO_8859_1));
        }
        last = v;
        return (float) v;
    }

    /**
     * Whether every double within 4 ulps of {@code v} rounds to the float {@code v} rounds to: v is
     * well inside the normal floats (no overflow, no subnormal spacing) and no midpoint between
     * two adjacent floats, where the rounding turns, lies that close. Such a midpoint is exact as a
     * double (two 24-bit significands and a halving fit in 53 bits).
     */
    static boolean floatIsSettled(double v) {
        double a = Math.abs(v);
        if (!(a >= 1e-30 && a <= 1e30)) {
            return false;
        }
        float f = (float) a;
        double margin = 4 * Math.ulp(a);
        double up = ((double) f + (double) Math.nextUp(f)) * 0.5;
        double down = ((double) f + (double) Math.nextDown(f)) * 0.5;
        return Math.abs(a - up) > margin && Math.abs(a - down) > margin;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private boolean literal(String s) {
        if (end - pos < s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[pos + i] != s.charAt(i)) {
                return false;
            }
        }
        pos += s.length();
        return true;
    }

    private byte peek() {
        if (pos >= end) {
            throw new IllegalArgumentException("end of body");
        }
        return b[pos];
    }

    private void expect(char c) {
        if (peek() != c) {
            throw new IllegalArgumentException("expected " + c);
        }
        pos++;
    }

    private void space() {
        while (pos < end && (b[pos] == ' ' || b[pos] == '\n' || b[pos] == '\r' || b[pos] == '\t')) {
            pos++;
        }
    }
}
