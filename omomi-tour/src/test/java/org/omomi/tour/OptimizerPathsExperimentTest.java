package org.omomi.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OptimizerPathsExperimentTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> path(Part p, String optimizer) {
        return (Map<String, Object>) TourTests.map(p, "paths").get(optimizer);
    }

    @SuppressWarnings("unchecked")
    private static double at(Map<String, Object> path, String axis, int step) {
        return ((List<Double>) path.get(axis)).get(step);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.omomi.tour.TourTests#settings")
    void pathsShowTheZigZagTheOvershootAndTheDecay(Setting s) {
        Part p = TourTests.part(new OptimizerPathsExperiment(), s);
        assertEquals(30, TourTests.number(p.numbers(), "steps"));
        Map<String, Object> sgd = path(p, "sgd");
        Map<String, Object> momentum = path(p, "momentum");
        Map<String, Object> adam = path(p, "adam");
        Map<String, Object> adamW = path(p, "adamw");

        // The first SGD step by hand: ∇f(−7, 2) = (−0.7, 4), so (−7, 2) − 0.95·(−0.7, 4) = (−6.335, −1.8).
        assertEquals(-6.335, at(sgd, "x", 1), 1e-5);
        assertEquals(-1.8, at(sgd, "y", 1), 1e-5);
        // AdamW's first step: shrink by 1 − 0.3·0.1, then Adam's first step of size η against the gradient's sign.
        assertEquals(-7 * 0.97 + 0.3, at(adamW, "x", 1), 1e-5);
        assertEquals(2 * 0.97 - 0.3, at(adamW, "y", 1), 1e-5);

        assertEquals(30, TourTests.number(sgd, "y_sign_changes"), "SGD's y flips at every step");
        for (Map<String, Object> smooth : List.of(momentum, adam, adamW)) {
            assertTrue(TourTests.number(smooth, "y_sign_changes") <= 6, "few flips: " + smooth.get("y_sign_changes"));
        }
        assertTrue(TourTests.number(momentum, "x_sign_changes") >= 1, "momentum passes x = 0");
        assertTrue(TourTests.number(momentum, "closest_distance") < TourTests.number(sgd, "closest_distance"));
        assertTrue(TourTests.number(momentum, "final_distance") > TourTests.number(sgd, "final_distance"));
        assertTrue(TourTests.number(adamW, "first_step_within_1") < TourTests.number(adam, "first_step_within_1"));
        assertTrue(TourTests.number(adamW, "closest_distance") < TourTests.number(adam, "closest_distance"));
        assertTrue(TourTests.claim(p, "sgd_zigzags") && TourTests.claim(p, "momentum_overshoots") && TourTests.claim(p, "adamw_decay_pulls_in"));
        TourTests.assertClaimsHold(p, s);
    }

    @Test
    void stepsOptionSetsThePathLengthAndTheSameSettingGivesTheSamePath() throws Exception {
        Setting five = TourTests.quick(Map.of("steps", "5"));
        Part a = new OptimizerPathsExperiment().run(five);
        Part b = new OptimizerPathsExperiment().run(five);
        assertEquals(6, ((List<?>) path(a, "adam").get("x")).size());
        assertEquals(path(a, "adam").get("x"), path(b, "adam").get("x"));
        assertEquals(path(a, "momentum").get("y"), path(b, "momentum").get("y"));
    }
}
