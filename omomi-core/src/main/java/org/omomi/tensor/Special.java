package org.omomi.tensor;

/** Special functions in double precision: erf, erfc, erfinv, the normal CDF. */
final class Special {

    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;

    private Special() {}

    /** The error function, accurate to about 1e-15. */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double ax = Math.abs(x);
        if (ax < 3.0) {
            // Maclaurin series: 2/√π · Σ (−1)ⁿ x^(2n+1) / (n! (2n+1)).
            double x2 = x * x;
            double term = x;
            double sum = x;
            for (int n = 1; n < 80; n++) {
                term *= -x2 / n;
                double t = term / (2 * n + 1);
                sum += t;
                if (Math.abs(t) < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            return TWO_OVER_SQRT_PI * sum;
        }
        double r = 1.0 - erfcLarge(ax);
        return x < 0 ? -r : r;
    }

    /** The complementary error function 1 − erf(x), accurate in the far tail too. */
    static double erfc(double x) {
        if (x >= 3.0) {
            return erfcLarge(x);
        }
        return 1.0 - erf(x);
    }

    /** erfc for x ≥ 3 by its continued fraction, evaluated with the modified Lentz method. */
    private static double erfcLarge(double x) {
        if (x > 27) {
            return 0.0;
        }
        // erfc(x) = exp(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
        double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int n = 1; n < 200; n++) {
            double an = n / 2.0;
            d = x + an * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = x + an / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1.0 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1.0) < 1e-16) {
                break;
            }
        }
        return StrictMath.exp(-x * x) / (Math.sqrt(Math.PI) * f);
    }

    /** The inverse error function on (−1, 1); ±1 give ±∞. */
    static double erfinv(double y) {
        if (y <= -1) {
            return y == -1 ? Double.NEGATIVE_INFINITY : Double.NaN;
        }
        if (y >= 1) {
            return y == 1 ? Double.POSITIVE_INFINITY : Double.NaN;
        }
        // M. Giles, "Approximating the erfinv function" (GPU Computing Gems, 2011), then two Newton
        // steps on erf(x) = y to reach double precision.
        double w = -StrictMath.log((1.0 - y) * (1.0 + y));
        double p;
        if (w < 5.0) {
            w -= 2.5;
            p = 2.81022636e-08;
            p = 3.43273939e-07 + p * w;
            p = -3.5233877e-06 + p * w;
            p = -4.39150654e-06 + p * w;
            p = 0.00021858087 + p * w;
            p = -0.00125372503 + p * w;
            p = -0.00417768164 + p * w;
            p = 0.246640727 + p * w;
            p = 1.50140941 + p * w;
        } else {
            w = Math.sqrt(w) - 3.0;
            p = -0.000200214257;
            p = 0.000100950558 + p * w;
            p = 0.00134934322 + p * w;
            p = -0.00367342844 + p * w;
            p = 0.00573950773 + p * w;
            p = -0.0076224613 + p * w;
            p = 0.00943887047 + p * w;
            p = 1.00167406 + p * w;
            p = 2.83297682 + p * w;
        }
        double x = p * y;
        for (int i = 0; i < 2; i++) {
            double err = erf(x) - y;
            x -= err / (TWO_OVER_SQRT_PI * StrictMath.exp(-x * x));
        }
        return x;
    }

    /** Φ(x), the standard normal CDF. */
    static double normalCdf(double x) {
        return 0.5 * erfc(-x / Math.sqrt(2.0));
    }
}
