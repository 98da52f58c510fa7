package org.omomi.explain.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Nice tick values and compact labels. */
class TicksTest {

    /** Ticks one 1, 2 or 5 × 10^k step apart, inside [lo, hi], leaving less than a step uncovered at either end. */
    private static void assertNice(Ticks t, double lo, double hi) {
        double[] v = t.values();
        assertTrue(v.length >= 2, "at least two ticks in [" + lo + ", " + hi + "]");
        BigDecimal step = BigDecimal.valueOf(v[1]).subtract(BigDecimal.valueOf(v[0]));
        int mantissa = step.stripTrailingZeros().unscaledValue().intValueExact();
        assertTrue(Set.of(1, 2, 5).contains(mantissa), "step " + step + " is 1, 2 or 5 × 10^k");
        for (int i = 0; i < v.length; i++) {
            assertTrue(v[i] >= lo && v[i] <= hi, v[i] + " inside [" + lo + ", " + hi + "]");
            if (i > 0) {
                assertEquals(0, BigDecimal.valueOf(v[i]).subtract(BigDecimal.valueOf(v[i - 1])).compareTo(step),
                        "equal steps: " + v[i - 1] + " to " + v[i]);
            }
            assertEquals(0, BigDecimal.valueOf(v[i]).remainder(step).compareTo(BigDecimal.ZERO), v[i] + " is a multiple of " + step);
        }
        assertTrue(v[0] - step.doubleValue() < lo, "first tick " + v[0] + " within a step of " + lo);
        assertTrue(v[v.length - 1] + step.doubleValue() > hi, "last tick within a step of " + hi);
        assertEquals(v.length, new HashSet<>(List.of(t.labels())).size(), "labels are distinct");
    }

    @Test
    void linearTicksAreNiceAndCoverTheRange() {
        Ticks unit = Ticks.linear(0, 1, 5);
        assertNice(unit, 0, 1);
        assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6, 0.8, 1.0}, unit.values());
        assertArrayEquals(new String[] {"0", "0.2", "0.4", "0.6", "0.8", "1.0"}, unit.labels());

        Ticks small = Ticks.linear(0.0013, 0.0071, 6);
        assertNice(small, 0.0013, 0.0071);
        assertArrayEquals(new double[] {0.002, 0.003, 0.004, 0.005, 0.006, 0.007}, small.values());
        assertEquals("0.002", small.labels()[0]);

        Ticks signed = Ticks.linear(-3, 17, 5);
        assertNice(signed, -3, 17);
        assertArrayEquals(new double[] {0, 5, 10, 15}, signed.values());

        for (double[] r : new double[][] {{-1e-6, 3e-6}, {12_000, 95_000}, {0.1, 0.3}, {1e6, 1.00001e6}, {-50, -49.5}}) {
            for (int target : new int[] {2, 5, 10}) {
                assertNice(Ticks.linear(r[0], r[1], target), r[0], r[1]);
            }
        }
    }

    @Test
    void logTicksArePowersOfTen() {
        Ticks t = Ticks.log10(1e-5, 1, 8);
        assertArrayEquals(new double[] {1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1}, t.values());
        assertArrayEquals(new String[] {"1e-5", "1e-4", "0.001", "0.01", "0.1", "1"}, t.labels());
        assertTrue(t.minor().length > 0, "minor grid lines between decades");

        Ticks many = Ticks.log10(1e-12, 1e12, 6);
        assertTrue(many.values().length <= 7 && many.values().length >= 2, "thinned to every k-th decade");
        for (double v : many.values()) {
            double e = Math.log10(v);
            assertEquals(Math.rint(e), e, 1e-12, v + " is a power of ten");
        }

        Ticks narrow = Ticks.log10(0.15, 0.9, 6);
        assertArrayEquals(new double[] {0.2, 0.5}, narrow.values(), "1, 2, 5 within one decade");
        assertThrows(IllegalArgumentException.class, () -> Ticks.log10(0, 1, 5));
        assertThrows(IllegalArgumentException.class, () -> Ticks.linear(1, 1, 5));
    }

    @Test
    void labelsAreCompact() {
        assertArrayEquals(new String[] {"0", "5k", "10k", "15k"}, Ticks.linear(0, 15_000, 4).labels());
        assertArrayEquals(new String[] {"0", "2e-5", "4e-5"}, Ticks.linear(0, 4e-5, 2).labels());
        assertArrayEquals(new String[] {"−1.0", "−0.5", "0", "0.5", "1.0"}, Ticks.linear(-1, 1, 4).labels());

        assertEquals("0", Ticks.compact(0, 3));
        assertEquals("0.001", Ticks.compact(0.001, 3));
        assertEquals("1e-5", Ticks.compact(1e-5, 3));
        assertEquals("1.23e-5", Ticks.compact(1.2345e-5, 3));
        assertEquals("12k", Ticks.compact(12_000, 3));
        assertEquals("1.5M", Ticks.compact(1_500_000, 3));
        assertEquals("1234", Ticks.compact(1234, 3));
        assertEquals("10k", Ticks.compact(9999.7, 3));
        assertEquals("0.412", Ticks.compact(0.41213, 3));
        assertEquals("−0.31", Ticks.compact(-0.31, 3));
        assertEquals("NaN", Ticks.compact(Double.NaN, 3));
    }
}
