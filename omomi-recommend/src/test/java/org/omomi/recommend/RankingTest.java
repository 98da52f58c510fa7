package org.omomi.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/** Top-k selection and the rank metrics, against direct definitions. */
class RankingTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void topKIsTheSortedOrderWithExclusions(long seed) {
        Rng r = new Rng(seed);
        float[] s = new float[200];
        for (int i = 0; i < s.length; i++) {
            s[i] = r.nextInt(40); // many ties
        }
        int[] excluded = IntStream.range(0, 200).filter(i -> r.nextInt(5) == 0).toArray();
        int[] want = IntStream.range(0, 200).filter(i -> Arrays.binarySearch(excluded, i) < 0).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -s[i]).thenComparingInt(i -> i)).limit(17).mapToInt(Integer::intValue).toArray();
        assertArrayEquals(want, Ranking.top(s, 17, excluded));
    }

    @Test
    void hitAndNdcgAreExpectationsOverRandomTieBreaking() {
        assertEquals(1, RankingMetrics.hit(0, 0, 10));
        assertEquals(1, RankingMetrics.hit(9, 0, 10));
        assertEquals(0, RankingMetrics.hit(10, 0, 10));
        assertEquals(0.5, RankingMetrics.hit(8, 3, 10), 1e-12, "ranks 8, 9, 10, 11 equally likely: two of four hit");
        assertEquals(1 / (Math.log(3) / Math.log(2)), RankingMetrics.ndcg(1, 0, 10), 1e-12);
        double expect = (1 / (Math.log(10) / Math.log(2)) + 1 / (Math.log(11) / Math.log(2))) / 4;
        assertEquals(expect, RankingMetrics.ndcg(8, 3, 10), 1e-12);
        // A constant scorer against 100 negatives: the held-out item's rank is uniform on 0…100.
        assertEquals(10.0 / 101, RankingMetrics.hit(0, 100, 10), 1e-12);
    }

    @Test
    void theSampledMetricReadsColumnZeroAsTheHeldOutItem() {
        float[] out = {
            5, 1, 2, 3, // rank 0
            1, 5, 6, 7, // rank 3
            2, 2, 2, 0}; // ties with two: ranks 0, 1 or 2
        double hr1 = RankingMetrics.sampled("hr@1", 1, false).of(Tensor.of(out, 3, 4), null);
        assertEquals((1 + 0 + 1.0 / 3) / 3, hr1, 1e-12);
        double hr3 = RankingMetrics.sampled("hr@3", 3, false).of(Tensor.of(out, 3, 4), null);
        assertEquals((1 + 0 + 1) / 3.0, hr3, 1e-12);
        assertTrue(RankingMetrics.sampled("ndcg@3", 3, true).of(Tensor.of(out, 3, 4), null) < hr3);
    }
}
