package org.omomi.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The regularization part, quick and default (two seeds): overfitting without regularization, less of it with L2 and weight decay. */
class RegularizationExperimentTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.omomi.tour.TourTests#settings")
    @SuppressWarnings("unchecked")
    void weightDecayAndL2ShrinkTheGapAndTheWeights(Setting s) {
        Part part = TourTests.part(new RegularizationExperiment(), s);
        Map<String, Map<String, Double>> v = (Map<String, Map<String, Double>>) part.numbers().get("variants");
        assertEquals(java.util.List.of("none", "l2_penalty", "weight_decay", "l1_penalty"), java.util.List.copyOf(v.keySet()));
        Map<String, Double> none = v.get("none");

        // Without regularization the network overfits: near-perfect on its few training images, much worse on the test images.
        assertTrue(none.get("train_accuracy") >= 0.95, "train accuracy " + none);
        assertTrue(none.get("accuracy_gap") >= 0.1, "accuracy gap " + none);
        for (String k : new String[] {"l2_penalty", "weight_decay"}) {
            Map<String, Double> r = v.get(k);
            assertTrue(r.get("loss_gap") <= none.get("loss_gap") - 0.1, k + " loss gap " + r.get("loss_gap") + " against " + none.get("loss_gap"));
            assertTrue(r.get("weight_norm") <= 0.8 * none.get("weight_norm"), k + " weight norm " + r.get("weight_norm") + " against " + none.get("weight_norm"));
            // Regularized, it fits its training images less tightly.
            assertTrue(r.get("train_loss") > none.get("train_loss"), k);
        }
        for (Map<String, Double> r : v.values()) {
            assertEquals(r.get("train_accuracy") - r.get("test_accuracy"), r.get("accuracy_gap"), 1e-12);
            assertEquals(r.get("test_loss") - r.get("train_loss"), r.get("loss_gap"), 1e-12);
        }
        assertEquals(Map.of("decay_shrinks_gap", true, "decay_shrinks_weights", true), part.numbers().get("claims"));
        TourTests.assertClaimsHold(part, s);
    }
}
