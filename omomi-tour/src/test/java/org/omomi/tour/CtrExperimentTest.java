package org.omomi.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The ad-click application, quick and default (two seeds): the article's table answered, and the interaction the FM finds. */
class CtrExperimentTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.omomi.tour.TourTests#settings")
    @SuppressWarnings("unchecked")
    void theArticlesTableIsAnsweredAndTheFmFindsThePlantedInteraction(Setting s) {
        Part part = TourTests.part(new CtrExperiment(), s);
        Map<String, Object> n = part.numbers();
        List<Map<String, Object>> table = (List<Map<String, Object>>) n.get("article_table");
        assertEquals(List.of("age", "interest_match", "ad_frequency"), table.stream().map(r -> r.get("feature")).toList());
        // The article's starting weights, and the generator's true weights per standard deviation.
        assertEquals(List.of(0.1, 0.9, 0.4), table.stream().map(r -> r.get("starting_weight")).toList());
        assertEquals(List.of(0.3, 1.0, -0.6), table.stream().map(r -> r.get("true_weight")).toList());
        double[] learned = table.stream().mapToDouble(r -> (Double) r.get("learned_weight")).toArray();
        double[] ig = table.stream().mapToDouble(r -> (Double) r.get("mean_abs_ig")).toArray();
        for (int j : new int[] {0, 2}) {
            assertTrue(Math.abs(learned[1]) > Math.abs(learned[j]) && ig[1] > ig[j], "interest match weighs most: " + table);
        }
        assertEquals(-0.6, learned[2], 0.15, "fatigue: the frequency weight turns negative from its start of +0.4");
        Map<String, Double> meanIg = (Map<String, Double>) n.get("mean_abs_ig");
        for (String noise : CtrExperiment.NOISE) {
            assertTrue(meanIg.get(noise) < Math.min(ig[0], Math.min(ig[1], ig[2])), noise + " against the article's three: " + meanIg);
        }
        assertEquals(meanIg.get("interest_match"), ig[1], 0, "the table's mean |IG| is the importance's");
        // The FM's IG paths are quadratic in α: completeness holds to rounding.
        assertTrue((Double) n.get("ig_max_abs_delta") < 1e-4, "IG completeness: " + n.get("ig_max_abs_delta"));

        double r = (Double) n.get("interaction_correlation");
        assertTrue(r >= 0.9 && r <= 1, "correlation with the planted table " + r);
        double fm = (Double) n.get("auc_fm");
        double lr = (Double) n.get("auc_lr");
        double truth = (Double) n.get("auc_true");
        assertTrue(fm >= lr + 0.03, "FM " + fm + " against lr " + lr);
        assertTrue(truth - fm <= 0.03 && fm < truth + 0.01, "FM " + fm + " against the true model " + truth);
        assertEquals(Map.of("interest_weighs_most", true, "weights_recovered", true, "noise_weighs_least", true, "fm_finds_interaction", true),
                n.get("claims"));
        TourTests.assertClaimsHold(part, s);
    }
}
