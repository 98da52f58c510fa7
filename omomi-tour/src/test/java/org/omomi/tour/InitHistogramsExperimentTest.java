package org.omomi.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class InitHistogramsExperimentTest {

    @SuppressWarnings("unchecked")
    private static List<Double> layers(Part p, String net, String key) {
        return (List<Double>) ((Map<String, Object>) TourTests.map(p, "networks").get(net)).get(key);
    }

    private static double ratio(Part p, String net) {
        List<Double> std = layers(p, net, "std");
        return std.get(4) / std.get(0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.omomi.tour.TourTests#settings")
    void initializationDecidesWhetherActivationsSaturateCollapseOrKeepTheirSpread(Setting s) {
        Part p = TourTests.part(new InitHistogramsExperiment(), s);
        assertEquals(12, TourTests.map(p, "networks").size());
        for (int l = 0; l < 5; l++) {
            // sigmoid, std 1: saturated at both ends in every layer
            assertTrue(layers(p, "sigmoid/std1", "saturated_share").get(l) > 0.3);
            assertTrue(layers(p, "sigmoid/std1", "low_share").get(l) > 0.1);
            assertTrue(layers(p, "sigmoid/std1", "high_share").get(l) > 0.1);
            // std 0.01: sigmoid outputs 0.5 with almost no spread
            assertEquals(0.5, layers(p, "sigmoid/std0.01", "mean").get(l), 0.01);
            assertTrue(layers(p, "sigmoid/std0.01", "std").get(l) < 0.03);
            // Xavier: tanh and sigmoid unsaturated
            assertTrue(layers(p, "tanh/xavier", "saturated_share").get(l) <= 0.03);
            assertTrue(layers(p, "sigmoid/xavier", "saturated_share").get(l) <= 0.03);
            assertTrue(layers(p, "tanh/std1", "saturated_share").get(l) > 0.5);
            // ReLU zeroes about half of its inputs, whatever the scale
            assertEquals(0.5, layers(p, "relu/he", "zero_share").get(l), 0.1);
        }
        assertTrue(ratio(p, "tanh/std0.01") < 1e-3, "tanh, std 0.01 collapses: " + ratio(p, "tanh/std0.01"));
        assertTrue(ratio(p, "relu/std0.01") < 1e-3, "ReLU, std 0.01 collapses: " + ratio(p, "relu/std0.01"));
        double he = ratio(p, "relu/he");
        assertTrue(he >= 0.5 && he <= 2, "He keeps ReLU's spread: " + he);
        assertTrue(ratio(p, "relu/std1") > 100, "std 1 explodes under ReLU: " + ratio(p, "relu/std1"));
        assertTrue(ratio(p, "relu/xavier") < 0.5, "Xavier shrinks ReLU's spread: " + ratio(p, "relu/xavier"));
        assertTrue(ratio(p, "tanh/xavier") >= 1.0 / 3 && ratio(p, "sigmoid/xavier") >= 1.0 / 3);
        for (String c : new String[] {"sigmoid_std1_saturates", "std001_collapses", "he_keeps_relu_spread", "xavier_suits_tanh_sigmoid", "xavier_too_small_for_relu"}) {
            assertTrue(TourTests.claim(p, c), c);
        }
        TourTests.assertClaimsHold(p, s);
        assertEquals(4, p.blocks().stream().filter(b -> b instanceof Part.Picture).count());
    }

    @Test
    void theSameSeedGivesTheSameNumbers() throws Exception {
        Part a = new InitHistogramsExperiment().run(TourTests.quick());
        Part b = new InitHistogramsExperiment().run(TourTests.quick());
        assertEquals(layers(a, "tanh/he", "std"), layers(b, "tanh/he", "std"));
    }
}
