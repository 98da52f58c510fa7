package org.omomi.recommend;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.omomi.tensor.Rng;

/**
 * The candidate lists of the sampled protocol (He et al., NCF, WWW 2017): a held-out item and
 * {@code m} distinct items drawn uniformly from those the user never interacted with (in any
 * split), from a generator of the seed and the user alone.
 */
final class Candidates {

    private Candidates() {}

    /**
     * The held-out item first, then up to m negatives (fewer only when the user has nearly the
     * whole catalogue). {@code owned} is sorted and lists every item the user has.
     */
    static int[] sampled(int target, int[] owned, int itemCount, int m, long seed, int user) {
        int available = itemCount - owned.length;
        int count = Math.min(m, Math.max(0, available));
        int[] out = new int[1 + count];
        out[0] = target;
        if (count == available) { // every unowned item
            int j = 1;
            for (int i = 0; i < itemCount && j <= count; i++) {
                if (Arrays.binarySearch(owned, i) < 0) {
                    out[j++] = i;
                }
            }
            return out;
        }
        Rng rng = new Rng(Split.mix(seed ^ 0x2545f4914f6cdd1dL, user));
        Set<Integer> chosen = new HashSet<>();
        for (int j = 1; j <= count; ) {
            int i = rng.nextInt(itemCount);
            if (Arrays.binarySearch(owned, i) < 0 && chosen.add(i)) {
                out[j++] = i;
            }
        }
        return out;
    }
}
