package org.omomi.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/** Silhouette, Davies–Bouldin, Calinski–Harabasz, ARI and NMI against hand-computed values and scikit-learn. */
class QualityTest {

    /** Four points on a line, 0, 1, 10, 11, in two clusters. */
    private static final Tensor LINE = Tensor.of(new float[] {0, 1, 10, 11}, 4, 1);
    private static final int[] TWO = {0, 0, 1, 1};

    @Test
    void silhouetteByHand() {
        // a = 1 for every point; b = 10.5, 9.5, 9.5, 10.5; s = 1 − a/b.
        double expected = ((1 - 1 / 10.5) * 2 + (1 - 1 / 9.5) * 2) / 4;
        assertEquals(expected, Quality.silhouette(LINE, TWO), 1e-12);
    }

    @Test
    void daviesBouldinByHand() {
        // Centroids 0.5 and 10.5, each spread 0.5: (0.5 + 0.5) / 10 for both clusters.
        assertEquals(0.1, Quality.daviesBouldin(LINE, TWO), 1e-12);
    }

    @Test
    void calinskiHarabaszByHand() {
        // B = 2·5² + 2·5² = 100 (the mean is 5.5), W = 4 · 0.5² = 1: (100 / 1) / (1 / 2) = 200.
        assertEquals(200, Quality.calinskiHarabasz(LINE, TWO), 1e-9);
    }

    @Test
    void agreementByHand() {
        int[] truth = {0, 0, 1, 1};
        int[] predicted = {0, 0, 1, 2};
        // Pairs together: Σ C(nᵢⱼ,2) = 1, rows 2, columns 1, C(4,2) = 6; E = 1/3, max = 3/2.
        assertEquals((1 - 1.0 / 3) / (1.5 - 1.0 / 3), Agreement.adjustedRandIndex(truth, predicted), 1e-12);
        // I = ln 2, H(U) = ln 2, H(V) = 1.5 ln 2: NMI = 1 / 1.25.
        assertEquals(0.8, Agreement.normalizedMutualInfo(truth, predicted), 1e-12);
        assertEquals(1.0, Agreement.adjustedRandIndex(truth, new int[] {7, 7, 3, 3}), 1e-12, "label values do not matter");
    }

    @Test
    void qualityMatchesScikitLearn() {
        for (Map<String, Object> c : Fixtures.cases("quality")) {
            int n = Fixtures.integer(c, "n");
            Tensor x = Fixtures.matrix(c, "x", n, Fixtures.integer(c, "d"));
            int[] labels = Fixtures.ints(c, "labels");
            String name = (String) c.get("name");
            assertEquals(Fixtures.number(c, "silhouette"), Quality.silhouette(x, labels), 1e-6, name + " silhouette");
            assertEquals(Fixtures.number(c, "davies_bouldin"), Quality.daviesBouldin(x, labels), 1e-6, name + " Davies–Bouldin");
            double ch = Fixtures.number(c, "calinski_harabasz");
            assertEquals(ch, Quality.calinskiHarabasz(x, labels), 1e-6 * ch, name + " Calinski–Harabasz");
        }
    }

    @Test
    void agreementMatchesScikitLearn() {
        for (Map<String, Object> c : Fixtures.cases("agreement")) {
            int[] t = Fixtures.ints(c, "truth");
            int[] p = Fixtures.ints(c, "predicted");
            String name = (String) c.get("name");
            assertEquals(Fixtures.number(c, "ari"), Agreement.adjustedRandIndex(t, p), 1e-12, name + " ARI");
            assertEquals(Fixtures.number(c, "nmi"), Agreement.normalizedMutualInfo(t, p), 1e-12, name + " NMI");
        }
    }

    @Test
    void sampledSilhouetteIsTheSilhouetteOfTheSample() {
        Synthetic.Labelled b = Synthetic.blobs(300, 3, 2, new Rng(4));
        assertEquals(Quality.silhouette(b.x(), b.labels()), Quality.silhouette(b.x(), b.labels(), 300, new Rng(1)), 0,
                "no sampling when the sample would be everything");
        double sampled = Quality.silhouette(b.x(), b.labels(), 100, new Rng(1));
        assertEquals(sampled, Quality.silhouette(b.x(), b.labels(), 100, new Rng(1)), 0, "seeded");
        assertEquals(Quality.silhouette(b.x(), b.labels()), sampled, 0.05);
    }

    @Test
    void degenerateInputsAreErrors() {
        assertThrows(IllegalArgumentException.class, () -> Quality.silhouette(LINE, new int[] {0, 0, 0, 0}));
        assertThrows(IllegalArgumentException.class, () -> Quality.daviesBouldin(LINE, new int[] {0, 0, 0, 0}));
        assertThrows(IllegalArgumentException.class, () -> Quality.silhouette(LINE, new int[] {0, 1}));
        assertThrows(IllegalArgumentException.class, () -> Agreement.adjustedRandIndex(new int[] {0}, new int[] {0, 1}));
    }
}
