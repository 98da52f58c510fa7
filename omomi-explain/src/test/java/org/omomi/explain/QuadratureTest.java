package org.omomi.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuadratureTest {

    @ParameterizedTest
    @EnumSource(Quadrature.class)
    void weightsAddUpToOneAndNodesLieInTheUnitInterval(Quadrature q) {
        for (int m : new int[] {2, 3, 7, 50, 300}) {
            double[][] r = q.rule(m);
            double s = 0;
            for (int i = 0; i < m; i++) {
                assertTrue(r[0][i] >= 0 && r[0][i] <= 1, q + " node " + r[0][i]);
                s += r[1][i];
            }
            assertEquals(1.0, s, 1e-12, q + " with " + m + " steps");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 10, 20})
    void gaussLegendreIsExactForPolynomialsOfDegreeTwoMMinusOne(int m) {
        double[][] r = Quadrature.GAUSS_LEGENDRE.rule(m);
        int degree = 2 * m - 1;
        double s = 0;
        for (int i = 0; i < m; i++) {
            s += r[1][i] * Math.pow(r[0][i], degree);
        }
        assertEquals(1.0 / (degree + 1), s, 1e-12);
    }

    @ParameterizedTest
    @EnumSource(Quadrature.class)
    void errorsShrinkAsStepsGrowAndFollowTheRulesOrder(Quadrature q) {
        // ∫₀¹ e^x dx = e − 1. Left/right converge as h, middle/trapezoid as h², Gauss–Legendre faster.
        double exact = Math.E - 1;
        double e10 = Math.abs(integrate(q, 10) - exact);
        double e20 = Math.abs(integrate(q, 20) - exact);
        double ratio = e10 / e20;
        switch (q) {
            case RIEMANN_LEFT, RIEMANN_RIGHT -> assertEquals(2, ratio, 0.1);
            case RIEMANN_MIDDLE -> assertEquals(4, ratio, 0.1);
            case TRAPEZOID -> assertEquals(19.0 * 19 / (9 * 9), ratio, 0.1); // spacing 1/(m − 1)
            case GAUSS_LEGENDRE -> assertTrue(e10 < 1e-13, "Gauss–Legendre error " + e10);
        }
    }

    @org.junit.jupiter.api.Test
    void namesAndBadStepCounts() {
        assertEquals(Quadrature.GAUSS_LEGENDRE, Quadrature.named("gauss-legendre"));
        assertEquals(Quadrature.RIEMANN_LEFT, Quadrature.named("left"));
        assertThrows(IllegalArgumentException.class, () -> Quadrature.named("simpson"));
        assertThrows(IllegalArgumentException.class, () -> Quadrature.TRAPEZOID.rule(1));
        assertThrows(IllegalArgumentException.class, () -> Quadrature.RIEMANN_LEFT.rule(0));
    }

    private static double integrate(Quadrature q, int m) {
        double[][] r = q.rule(m);
        double s = 0;
        for (int i = 0; i < m; i++) {
            s += r[1][i] * Math.exp(r[0][i]);
        }
        return s;
    }
}
