package org.omomi.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.omomi.kernel.Parallel;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

class KMeansTest {

    @Test
    void lloydMatchesScikitLearnFromTheSameCentres() {
        for (Map<String, Object> c : Fixtures.cases("lloyd")) {
            int n = Fixtures.integer(c, "n");
            int d = Fixtures.integer(c, "d");
            int k = Fixtures.integer(c, "k");
            Clustering r = KMeans.lloyd(Fixtures.matrix(c, "x", n, d), Fixtures.matrix(c, "init", k, d), 300);
            String name = (String) c.get("name");
            assertArrayEquals(Fixtures.ints(c, "labels"), r.labels(), name + " labels");
            assertEquals(Fixtures.integer(c, "iterations"), r.iterations(), name + " iterations");
            float[] want = JsonFields.floats(c, "centres");
            float[] got = r.centres().toArray();
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 1e-5, name + " centre value " + i);
            }
            double inertia = Fixtures.number(c, "inertia");
            assertEquals(inertia, r.inertia(), 1e-5 * inertia, name + " inertia");
            assertTrue(r.converged());
        }
    }

    @Test
    void findsWellSeparatedBlobs() {
        Synthetic.Labelled b = Synthetic.blobs(600, 4, 3, new Rng(2));
        Clustering c = KMeans.fit(b.x(), KMeans.Options.of(4), new Rng(1));
        assertEquals(1.0, Agreement.adjustedRandIndex(b.labels(), c.labels()), 1e-12);
        assertEquals(600, java.util.Arrays.stream(c.sizes()).sum());
        double sum = 0;
        for (double dist : c.distances()) {
            sum += dist * dist;
        }
        assertEquals(c.inertia(), sum, 1e-9 * sum, "inertia is Σ distance²");
    }

    @Test
    void sameSeedSameSegmentsForAnyThreadCount() {
        Synthetic.Labelled b = Synthetic.noisy(20_000, 4, 2, 6, new Rng(3)); // five blocks of rows
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            Clustering one = KMeans.fit(b.x(), KMeans.Options.of(4).withRestarts(2), new Rng(9));
            Parallel.setThreads(2);
            Clustering two = KMeans.fit(b.x(), KMeans.Options.of(4).withRestarts(2), new Rng(9));
            Clustering again = KMeans.fit(b.x(), KMeans.Options.of(4).withRestarts(2), new Rng(9));
            assertArrayEquals(one.labels(), two.labels());
            assertArrayEquals(one.centres().toArray(), two.centres().toArray(), 0f);
            assertEquals(one.inertia(), two.inertia(), 0);
            assertArrayEquals(two.labels(), again.labels());
            Clustering other = KMeans.fit(b.x(), KMeans.Options.of(4).withRestarts(2), new Rng(10));
            assertTrue(other.inertia() != one.inertia() || !java.util.Arrays.equals(other.centres().toArray(), one.centres().toArray()),
                    "another seed starts elsewhere");
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void theVectorKernelGivesTheScalarKernelsBits() {
        org.junit.jupiter.api.Assumptions.assumeTrue(KMeans.VECTOR != null, "this JVM has no Vector API");
        for (int d : new int[] {3, 16, 21}) {
            Synthetic.Labelled b = Synthetic.noisy(KMeans.TILE * 3 + 37, 4, 2, d - 2, new Rng(d));
            KMeans.Points p = KMeans.Points.of(b.x());
            float[] c = b.x().slice(0, 0, 7).contiguous().toArray();
            int m = KMeans.TILE - 5;
            float[] bestS = new float[KMeans.TILE];
            float[] bestV = new float[KMeans.TILE];
            int[] argS = new int[KMeans.TILE];
            int[] argV = new int[KMeans.TILE];
            float[] sumS = new float[7 * d];
            float[] sumV = new float[7 * d];
            long[] cntS = new long[7];
            long[] cntV = new long[7];
            for (int first : new int[] {0, KMeans.TILE + 3, 2 * KMeans.TILE + 40}) {
                KMeans.SCALAR.nearest(p, first, m, c, 7, bestS, argS, sumS, cntS);
                KMeans.VECTOR.nearest(p, first, m, c, 7, bestV, argV, sumV, cntV);
                assertArrayEquals(argS, argV, "d = " + d);
                assertArrayEquals(bestS, bestV, 0f, "d = " + d);
                assertArrayEquals(sumS, sumV, 0f, "d = " + d);
                assertArrayEquals(cntS, cntV, "d = " + d);
            }
        }
    }

    @Test
    void kLargerThanTheDistinctRowsIsAClearError() {
        Tensor x = Tensor.of(new float[] {1, 1, 1, 1, 2, 2, 2, 2, 3, 3}, 5, 2); // 5 rows, 3 distinct
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KMeans.fit(x, KMeans.Options.of(4), new Rng(0)));
        assertEquals("k = 4 is more than the 3 distinct rows of the data", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KMeans.fit(x, KMeans.Options.of(6), new Rng(0)));
        assertEquals("k = 6 is more than the 5 rows of the data", e.getMessage());
        assertEquals(3, KMeans.fit(x, KMeans.Options.of(3), new Rng(0)).k(), "k = distinct rows works");
        assertEquals(0, KMeans.fit(x, KMeans.Options.of(3), new Rng(0)).inertia(), 0);
    }

    @Test
    void anEmptyClusterTakesTheFarthestRow() {
        // Two centres start on top of each other; one cluster gets nothing in the first pass.
        Tensor x = Tensor.of(new float[] {0, 0.1f, 0.2f, 10, 10.1f, 10.2f}, 6, 1);
        Clustering c = KMeans.lloyd(x, Tensor.of(new float[] {0, 0}, 2, 1), 100);
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1}, c.labels());
        assertEquals(10.1f, c.centres().get(1, 0), 1e-5);
    }

    @Test
    void miniBatchComesCloseToLloyd() {
        Synthetic.Labelled b = Synthetic.blobs(20_000, 5, 4, new Rng(6));
        Clustering full = KMeans.fit(b.x(), KMeans.Options.of(5), new Rng(1));
        Clustering mini = KMeans.miniBatch(b.x(), KMeans.Options.of(5).withRestarts(3), 256, 200, new Rng(1));
        assertTrue(Agreement.adjustedRandIndex(b.labels(), mini.labels()) >= 0.99);
        assertTrue(mini.inertia() <= 1.02 * full.inertia(), mini.inertia() + " vs " + full.inertia());
        Clustering again = KMeans.miniBatch(b.x(), KMeans.Options.of(5).withRestarts(3), 256, 200, new Rng(1));
        assertArrayEquals(mini.centres().toArray(), again.centres().toArray(), 0f);
    }

    @Test
    void nearestAgreesWithTheLabels() {
        Synthetic.Labelled b = Synthetic.blobs(500, 3, 2, new Rng(8));
        Clustering c = KMeans.fit(b.x(), KMeans.Options.of(3), new Rng(2));
        assertArrayEquals(c.labels(), KMeans.nearest(b.x(), c.centres()));
    }

    @Test
    void badInputIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> KMeans.fit(Tensor.of(new float[] {1, Float.NaN}, 2, 1), KMeans.Options.of(1), new Rng(0)));
        assertThrows(IllegalArgumentException.class, () -> KMeans.Options.of(0));
    }
}
