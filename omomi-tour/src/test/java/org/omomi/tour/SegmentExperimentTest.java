package org.omomi.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.omomi.data.Csv;
import org.omomi.segment.Synthetic;
import org.omomi.tensor.Rng;

/** The segmentation application, quick and default (two seeds): plain k-means finds the channels, the learned metric the segments. */
class SegmentExperimentTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.omomi.tour.TourTests#settings")
    @SuppressWarnings("unchecked")
    void theLearnedMetricFindsThePlantedSegmentsWherePlainKMeansFindsTheChannels(Setting s) {
        Part part = TourTests.part(new SegmentExperiment(), s);
        Map<String, Object> n = part.numbers();
        assertEquals(4L, n.get("k"));
        assertTrue((Double) n.get("ari_plain") <= 0.05, "plain k-means against the segments: " + n.get("ari_plain"));
        assertTrue((Double) n.get("ari_channels_plain") >= 0.9, "plain k-means against the channels: " + n.get("ari_channels_plain"));
        assertTrue((Double) n.get("ari_learned") >= 0.9, "learned metric against the segments: " + n.get("ari_learned"));
        assertTrue((Double) n.get("ari_channels_learned") <= 0.05, "learned metric against the channels: " + n.get("ari_channels_learned"));
        // Judged on the customers it did not learn from: 80% of them.
        long customers = (Long) n.get("customers");
        assertEquals(Math.round(0.8 * customers), (Long) n.get("evaluated_customers_learned"), 2);

        Map<String, Double> plain = (Map<String, Double>) n.get("feature_weights_plain");
        Map<String, Double> learned = (Map<String, Double>) n.get("feature_weights_learned");
        assertEquals(plain.keySet(), learned.keySet());
        assertEquals(1, plain.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-6);
        assertEquals(1, learned.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-6);
        // Plain k-means on standardised features weighs every numeric feature alike.
        double visits = plain.get("visits_per_month");
        for (String f : List.of("basket_value", "app_sessions", "age", "tenure_months")) {
            assertEquals(visits, plain.get(f), 1e-6, f);
        }
        assertEquals(learned.get("visits_per_month") + learned.get("basket_value"), (Double) n.get("business_weight_learned"), 1e-12);
        assertTrue((Double) n.get("business_weight_learned") >= 0.9, "learned weight on the business features " + n.get("business_weight_learned"));
        assertEquals(Map.of("plain_finds_channels", true, "learned_finds_segments", true, "weights_on_business", true), n.get("claims"));
        TourTests.assertClaimsHold(part, s);
    }

    /** The channel groups read back from the table: four sign patterns, each about a quarter of the customers. */
    @Test
    void theChannelGroupsAreReadBackFromTheTable() {
        Csv.Table t = Synthetic.customers(2000, new Rng(4));
        int[] g = SegmentExperiment.channelGroups(t);
        int[] sizes = new int[Arrays.stream(g).max().getAsInt() + 1];
        for (int x : g) {
            sizes[x]++;
        }
        Arrays.sort(sizes);
        int main = 0;
        for (int j = sizes.length - 4; j < sizes.length; j++) {
            assertTrue(sizes[j] >= 400 && sizes[j] <= 600, "group sizes " + Arrays.toString(sizes));
            main += sizes[j];
        }
        assertTrue(main >= 1990, "at most a few customers off the four patterns: " + Arrays.toString(sizes));
    }
}
