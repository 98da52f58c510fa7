package org.omomi.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.omomi.tensor.Rng;

class KSelectionTest {

    @Test
    void theThreeCriteriaPickThePlantedK() {
        for (int planted : new int[] {3, 5}) {
            Synthetic.Labelled b = Synthetic.blobs(1500, planted, 4, new Rng(planted));
            KSelection s = KSelection.run(b.x(), 2, 9, KMeans.Options.of(2).withRestarts(4), new Rng(1));
            System.out.printf("choosing k, planted %d: silhouette %d, elbow %d, Calinski–Harabasz %d%n", planted, s.bySilhouette(), s.byElbow(),
                    s.byCalinskiHarabasz());
            assertEquals(planted, s.bySilhouette());
            assertEquals(planted, s.byElbow());
            assertEquals(planted, s.byCalinskiHarabasz());
            assertEquals(planted, s.chosen());
            assertEquals(8, s.ks().length);
            for (int i = 1; i < s.ks().length; i++) {
                assertEquals(true, s.inertia()[i] <= s.inertia()[i - 1] * 1.0001, "inertia falls with k");
            }
        }
    }

    @Test
    void theElbowIsTheFarthestPointBelowTheChord() {
        // From (2, 100) to (6, 0) the chord falls 25 a step; the curve is 40 below it at k = 3.
        assertEquals(1, KSelection.elbow(new int[] {2, 3, 4, 5, 6}, new double[] {100, 35, 20, 10, 0}));
        assertEquals(3, KSelection.elbow(new int[] {2, 3, 4, 5, 6}, new double[] {100, 90, 80, 5, 0}));
    }

    @Test
    void twoCriteriaOutvoteTheThird() {
        KSelection s = new KSelection(new int[] {2, 3, 4, 5}, java.util.List.of(), new double[] {100, 60, 20, 15},
                new double[] {0.6, 0.5, 0.4, 0.3}, new double[] {10, 20, 30, 25});
        assertEquals(2, s.bySilhouette());
        assertEquals(4, s.byElbow());
        assertEquals(4, s.byCalinskiHarabasz());
        assertEquals(4, s.chosen());
        KSelection apart = new KSelection(new int[] {2, 3, 4, 5}, java.util.List.of(), new double[] {100, 60, 20, 15},
                new double[] {0.6, 0.5, 0.4, 0.3}, new double[] {10, 40, 30, 25});
        assertEquals(2, apart.chosen(), "three different answers: the silhouette's");
    }

    @Test
    void aRangeTooShortOrTooLongIsAnError() {
        Synthetic.Labelled b = Synthetic.blobs(20, 2, 2, new Rng(1));
        assertThrows(IllegalArgumentException.class, () -> KSelection.run(b.x(), 2, 3, KMeans.Options.of(2), new Rng(1)));
        assertThrows(IllegalArgumentException.class, () -> KSelection.run(b.x(), 2, 25, KMeans.Options.of(2), new Rng(1)));
    }
}
