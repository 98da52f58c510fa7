package org.omomi.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.omomi.data.Csv;
import org.omomi.tensor.Rng;

/** The whole pipeline: each way of choosing the distance, numbering by size, determinism, assign. */
class SegmenterTest {

    private static final Csv.Table CUSTOMERS = Synthetic.customers(800, new Rng(21));

    private static Segmenter.Options options() {
        return Segmenter.Options.defaults().withLabels(Synthetic.SEGMENT_COLUMN, 0.2).withK(4).withSeed(3);
    }

    @Test
    void givenWeightsOnTheBusinessFeaturesFindTheSegments() {
        Map<String, Double> w = new java.util.LinkedHashMap<>();
        for (String f : List.of("app_sessions", "web_sessions", "email_opens", "push_clicks", "store_visits", "call_minutes", "age", "tenure_months", "region")) {
            w.put(f, 0.0);
        }
        Segmenter.Result r = Segmenter.run(CUSTOMERS, options().withWeights(w), null);
        assertTrue(r.scores().ari() >= 0.95, "ARI " + r.scores().ari());
        assertEquals(800, r.scores().evaluated(), "nothing was learned, so every labelled customer counts");
        double[] share = r.featureWeights();
        assertEquals(1.0, share[0] + share[1], 1e-9, "all the distance is in the two weighted features");
        assertEquals(0.0, r.givenWeights()[r.customers().features().indexOf("region=east")], 0, "a column's weight reaches its categories");
    }

    @Test
    void segmentsAreNumberedBySizeAndTheSameSeedGivesTheSameResult() {
        Segmenter.Result a = Segmenter.run(CUSTOMERS, options().withMethod(Segmenter.Method.NCA), null);
        Segmenter.Result b = Segmenter.run(CUSTOMERS, options().withMethod(Segmenter.Method.NCA), null);
        assertArrayEquals(a.segments(), b.segments());
        assertArrayEquals(a.model().centres().toArray(), b.model().centres().toArray(), 0f);
        assertArrayEquals(a.featureWeights(), b.featureWeights(), 0);
        int[] sizes = a.clustering().sizes();
        for (int s = 1; s < sizes.length; s++) {
            assertTrue(sizes[s] <= sizes[s - 1], "sizes fall: " + java.util.Arrays.toString(sizes));
        }
        assertEquals(160, a.learnedFrom().length);
        assertEquals(640, a.scores().evaluated());
        assertTrue(a.scores().ari() >= 0.95, "ARI " + a.scores().ari());
        Segmenter.Result other = Segmenter.run(CUSTOMERS, options().withMethod(Segmenter.Method.NCA).withSeed(4), null);
        assertTrue(!java.util.Arrays.equals(a.learnedFrom(), other.learnedFrom()), "another seed learns from other customers");
    }

    @Test
    void assignPutsTheCustomersWhereTheSegmentationDid() {
        for (Segmenter.Method m : Segmenter.Method.values()) {
            Segmenter.Result r = Segmenter.run(CUSTOMERS, options().withMethod(m), null);
            SegmentModel.Assignment a = r.model().assign(CUSTOMERS);
            assertArrayEquals(r.segments(), a.segments(), m.label());
            SegmentModel back = SegmentModel.fromJson(SchemaTest.castMap(org.omomi.io.Json.parse(org.omomi.io.Json.write(r.model().toJson()))));
            assertArrayEquals(r.segments(), back.assign(CUSTOMERS).segments(), m.label() + " after a JSON round trip");
            SegmentModel.Explanation e = r.model().explain(r.scaled().slice(0, 0, 1).contiguous(), r.customers().features());
            assertEquals(r.segments()[0], e.segment());
            double pull = java.util.Arrays.stream(e.pull()).sum();
            assertEquals(e.otherSquaredDistance() - e.squaredDistance(), pull, 0.05 * Math.max(1, Math.abs(pull)), m.label() + ": Σ pull = the margin");
        }
    }

    private static Segmenter.Options quick(Integer k, Segmenter.Method m, int miniBatch) {
        return new Segmenter.Options(k, 2, 6, Scaling.Kind.STANDARD, Map.of(), m, false, null, Synthetic.SEGMENT_COLUMN, 0.2,
                java.util.Set.of(), java.util.Set.of(), 3, miniBatch, 1);
    }

    @Test
    void chosenKAndMiniBatch() {
        Segmenter.Result auto = Segmenter.run(CUSTOMERS, quick(null, Segmenter.Method.NCA, 0), null);
        assertEquals(4, auto.k());
        assertEquals(4, auto.selection().bySilhouette());
        Segmenter.Result plain = Segmenter.run(CUSTOMERS, quick(null, Segmenter.Method.KMEANS, 0), null);
        assertEquals(4, plain.k(), "the channels are four groups too");
        assertTrue(plain.scores().ari() <= 0.05, "and the wrong ones: " + plain.scores().ari());
        Segmenter.Result r = Segmenter.run(CUSTOMERS, quick(4, Segmenter.Method.KMEANS, 64), null);
        assertEquals(4, r.k());
        assertNull(r.selection());
        assertTrue(r.scores().ari() <= 0.05, "mini-batch k-means finds the channels as well: " + r.scores().ari());
    }

    @Test
    void unusableOptionsAreClearErrors() {
        assertThrows(IllegalArgumentException.class, () -> options().withMethod(Segmenter.Method.NCA).withWeights(Map.of("age", 2.0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Segmenter.run(CUSTOMERS, options().withLabels(null, 0.2).withMethod(Segmenter.Method.TRIPLET), null));
        assertEquals("learning a metric (triplet) needs a label column or must-link / cannot-link pairs", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Segmenter.run(CUSTOMERS, options().withK(null).withMethod(Segmenter.Method.LEARNED_WEIGHTS), null));
        assertEquals("learning feature weights needs a given k", e.getMessage());
    }
}
