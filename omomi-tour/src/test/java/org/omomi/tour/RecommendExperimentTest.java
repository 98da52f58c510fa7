package org.omomi.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The recommendation application, quick and default (two seeds): one new user's weighted vector, their recommendations and the reasons. */
class RecommendExperimentTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.omomi.tour.TourTests#settings")
    @SuppressWarnings("unchecked")
    void aWeightedPreferenceVectorRecommendsAndExplainsItself(Setting s) {
        Part part = TourTests.part(new RecommendExperiment(), s);
        Map<String, Object> n = part.numbers();
        assertTrue((Double) n.get("hr@10_bpr") >= (Double) n.get("hr@10_popularity") + 0.1, n.toString());
        assertTrue((Double) n.get("hr@10_new_users_weighted") > (Double) n.get("hr@10_new_users_popularity"), n.toString());
        assertTrue((Long) n.get("new_users_scored") >= 20, "new users scored: " + n.get("new_users_scored"));

        // The weights of the user's past items: normalized, the latest counting most (recency).
        List<Map<String, Object>> past = (List<Map<String, Object>>) n.get("shown_past_items");
        assertTrue(past.size() >= 9, "a user with at least 10 interactions, the latest held out: " + past.size());
        double sum = past.stream().mapToDouble(m -> (Double) m.get("weight")).sum();
        assertEquals(1, sum, 1e-9);
        double latest = (Double) past.get(past.size() - 1).get("weight");
        assertTrue(past.stream().allMatch(m -> (Double) m.get("weight") <= latest), "the latest weighs most: " + past);
        assertEquals(((Long) n.get("dim")).intValue(), ((List<Object>) n.get("shown_vector")).size());

        // Recommendations in score order, none of them a past item, each explained by its parts.
        List<Map<String, Object>> recs = (List<Map<String, Object>>) n.get("shown_recommendations");
        assertEquals(RecommendExperiment.SHOWN, recs.size());
        List<Object> pastIds = past.stream().map(m -> m.get("item")).toList();
        for (int r = 0; r < recs.size(); r++) {
            Map<String, Object> rec = recs.get(r);
            assertTrue(!pastIds.contains(rec.get("item")), "a recommendation is new to the user: " + rec);
            if (r > 0) {
                assertTrue((Double) recs.get(r - 1).get("score") >= (Double) rec.get("score"), "score order: " + recs);
            }
            assertEquals((Double) rec.get("score"), (Double) rec.get("sum_of_parts"), 1e-5, "the parts add up: " + rec);
            List<Map<String, Object>> reasons = (List<Map<String, Object>>) rec.get("top_past_items");
            assertEquals(RecommendExperiment.REASONS, reasons.size());
            for (Map<String, Object> reason : reasons) {
                assertTrue(pastIds.contains(reason.get("item")), "a reason is a past item: " + reason);
            }
        }
        assertTrue((Double) n.get("largest_sum_gap") <= 1e-5, "largest gap " + n.get("largest_sum_gap"));
        assertTrue((Long) n.get("explanations_checked") >= 10L * 20, "explanations checked " + n.get("explanations_checked"));
        assertEquals(Map.of("bpr_beats_popularity", true, "folded_in_beats_popularity", true, "parts_add_up", true, "reasons_share_the_group", true),
                n.get("claims"));
        TourTests.assertClaimsHold(part, s);
    }
}
