package org.omomi.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The l1-sparsity part, quick and default (two seeds): many near-zero weights, and the irrelevant table features dropped. */
class L1SparsityExperimentTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.omomi.tour.TourTests#settings")
    @SuppressWarnings("unchecked")
    void l1ZeroesWeightsAndDropsTheIrrelevantFeatures(Setting s) {
        Part part = TourTests.part(new L1SparsityExperiment(), s);
        Map<String, Object> n = part.numbers();

        double shareL1 = (double) n.get("near_zero_share_l1");
        double sharePlain = (double) n.get("near_zero_share_plain");
        assertTrue(shareL1 >= 1.0 / 3 && shareL1 >= 5 * sharePlain, "near-zero share: L1 " + shareL1 + ", none " + sharePlain);
        assertEquals(0, n.get("dropped_pixels_plain"));
        if (s.images().source().equals("fashion-mnist")) {
            // Fashion-MNIST has a black border: L1 drops those pixels, and they are the dark ones.
            assertTrue((int) n.get("dropped_pixels_l1") >= 20, "dropped pixels " + n.get("dropped_pixels_l1"));
            assertTrue((double) n.get("ink_dropped_pixels") < 0.2 * (double) n.get("ink_kept_pixels"));
        }

        List<Double> l1 = (List<Double>) n.get("table_feature_norms_l1");
        List<Double> plain = (List<Double>) n.get("table_feature_norms_plain");
        assertEquals(L1SparsityExperiment.FEATURES, l1.size());
        int relevant = L1SparsityExperiment.COEFFICIENTS.length;
        for (int j = 0; j < l1.size(); j++) {
            if (j < relevant) {
                assertTrue(l1.get(j) > 0.1, "relevant x" + (j + 1) + " kept: " + l1);
            } else {
                assertTrue(l1.get(j) < L1SparsityExperiment.TABLE_DROPPED, "irrelevant x" + (j + 1) + " dropped: " + l1);
                assertTrue(plain.get(j) > 10 * l1.get(j), "without L1, x" + (j + 1) + " keeps a weight: " + plain);
            }
        }
        assertEquals(List.of(5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20), n.get("table_dropped_l1"));
        assertEquals(Map.of("l1_zeroes_weights", true, "l1_selects_features", true), n.get("claims"));
        TourTests.assertClaimsHold(part, s);
    }

    @Test
    void theSameSeedGivesTheSameNumbers() throws IOException {
        Images images = Images.synthetic(600, 200, 5);
        Map<String, String> small = Map.of("train", "600", "steps", "40", "table-steps", "50");
        Part a = new L1SparsityExperiment().run(new Setting(5, true, images, small));
        Part b = new L1SparsityExperiment().run(new Setting(5, true, images, small));
        assertEquals(a.numbers(), b.numbers());
    }
}
