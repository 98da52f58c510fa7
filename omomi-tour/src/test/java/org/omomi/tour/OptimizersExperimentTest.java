package org.omomi.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.omomi.nn.Sequential;

class OptimizersExperimentTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.omomi.tour.TourTests#settings")
    void sgdLearnsSlowestOnTheSameBatchesFromTheSameStart(Setting s) {
        Part p = TourTests.part(new OptimizersExperiment(), s);
        Map<String, Object> loss = TourTests.map(p, "final_loss");
        Map<String, Object> acc = TourTests.map(p, "test_accuracy");
        double sgd = TourTests.number(loss, "sgd");
        for (String other : new String[] {"momentum", "adam", "adamw"}) {
            double l = TourTests.number(loss, other);
            assertTrue(sgd > l, "SGD's loss " + sgd + " is above " + other + "'s " + l);
            assertTrue(TourTests.number(acc, other) > 0.5, other + " learned: " + acc.get(other));
        }
        assertTrue(sgd < Math.log(10), "SGD learns too, only slower: " + sgd);
        assertTrue(TourTests.number(acc, "sgd") > 0.3, "SGD is above chance: " + acc.get("sgd"));
        assertTrue(TourTests.claim(p, "sgd_slowest"));
        TourTests.assertClaimsHold(p, s);
    }

    @Test
    void everyOptimizerStartsFromTheSameWeights() {
        Sequential a = OptimizersExperiment.mlp(42);
        Sequential b = OptimizersExperiment.mlp(42);
        Sequential c = OptimizersExperiment.mlp(43);
        assertEquals(a.parameters().size(), 4);
        for (int i = 0; i < 4; i++) {
            assertTrue(java.util.Arrays.equals(a.parameters().get(i).toArray(), b.parameters().get(i).toArray()));
        }
        assertTrue(!java.util.Arrays.equals(a.parameters().get(0).toArray(), c.parameters().get(0).toArray()));
        // He normal: std √(2 / 784) for the first layer.
        float[] w = a.parameters().get(0).toArray();
        double s2 = 0;
        for (float v : w) {
            s2 += v * v;
        }
        assertEquals(Math.sqrt(2.0 / 784), Math.sqrt(s2 / w.length), 0.002);
    }
}
