package org.omomi.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.omomi.data.Batch;

/** BPR's batches: every positive once an epoch, negatives the user does not have, and any batch recomputable alone. */
class PairSamplerTest {

    private static PairSampler sampler(long seed) {
        Generated.Setup s = Generated.of(Synthetic.Options.of(60, 50, 3).withPerUser(12), 0);
        return PairSampler.of(s.data(), s.split(), 64, 3, seed);
    }

    @Test
    void everyTrainingInteractionOnceAnEpochWithNegativesTheUserLacks() {
        Generated.Setup s = Generated.of(Synthetic.Options.of(60, 50, 3).withPerUser(12), 0);
        PairSampler p = PairSampler.of(s.data(), s.split(), 64, 3, 9);
        int[][] owned = s.data().subset(s.split().train()).itemsByUser();
        List<String> seen = new ArrayList<>();
        Iterator<Batch> it = p.epoch(2, 0);
        int batches = 0;
        while (it.hasNext()) {
            Batch b = it.next();
            batches++;
            int[] users = b.inputs().ids("user").toArray();
            int[] items = b.inputs().ids("item").toArray();
            assertEquals(4 * users.length, items.length, "the positive and three negatives");
            for (int n = 0; n < users.length; n++) {
                seen.add(users[n] + ":" + items[4 * n]);
                for (int j = 1; j < 4; j++) {
                    assertTrue(Arrays.binarySearch(owned[users[n]], items[4 * n + j]) < 0, "a negative the user has");
                }
            }
        }
        assertEquals(p.batches(), batches);
        List<String> want = new ArrayList<>();
        for (int k : s.split().train()) {
            want.add(s.data().user(k) + ":" + s.data().item(k));
        }
        seen.sort(null);
        want.sort(null);
        assertEquals(want, seen, "each training interaction exactly once");
    }

    @Test
    void anyBatchOfAnyEpochIsAFunctionOfTheSeedAndTheEpoch() {
        PairSampler a = sampler(5);
        PairSampler b = sampler(5);
        Batch fromStart = null;
        Iterator<Batch> it = a.epoch(3, 0);
        for (int k = 0; k <= 2; k++) {
            fromStart = it.next();
        }
        Batch direct = b.epoch(3, 2).next();
        assertArrayEquals(fromStart.inputs().ids("item").toArray(), direct.inputs().ids("item").toArray());
        assertArrayEquals(fromStart.inputs().ids("user").toArray(), direct.inputs().ids("user").toArray());
        int[] e0 = a.epoch(0, 0).next().inputs().ids("item").toArray();
        int[] e1 = a.epoch(1, 0).next().inputs().ids("item").toArray();
        assertTrue(!Arrays.equals(e0, e1), "another epoch, another order");
    }
}
