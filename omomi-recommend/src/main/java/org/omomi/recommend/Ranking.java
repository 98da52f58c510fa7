package org.omomi.recommend;

import java.util.Arrays;

/** The top k of a score vector, leaving out given items: what "recommend k items" means. */
public final class Ranking {

    private Ranking() {}

    /**
     * The indices of the k highest scores, best first, skipping the items in {@code excluded}
     * (sorted); equal scores go to the lower index, so the list is deterministic. Fewer than k
     * when fewer items remain. O(n·log k).
     */
    public static int[] top(float[] scores, int k, int[] excluded) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        // A min-heap of the best k so far; the root is the worst of them.
        int[] heap = new int[k];
        int size = 0;
        int e = 0;
        for (int i = 0; i < scores.length; i++) {
            while (e < excluded.length && excluded[e] < i) {
                e++;
            }
            if (e < excluded.length && excluded[e] == i) {
                continue;
            }
            if (size < k) {
                heap[size] = i;
                up(heap, size++, scores);
            } else if (better(i, heap[0], scores)) {
                heap[0] = i;
                down(heap, size, scores);
            }
        }
        int[] out = Arrays.copyOf(heap, size);
        Integer[] boxed = Arrays.stream(out).boxed().toArray(Integer[]::new);
        Arrays.sort(boxed, (a, b) -> better(a, b, scores) ? -1 : better(b, a, scores) ? 1 : 0);
        for (int j = 0; j < size; j++) {
            out[j] = boxed[j];
        }
        return out;
    }

    /** Whether item a ranks before item b: a higher score, or the same score and a lower index. */
    private static boolean better(int a, int b, float[] s) {
        return s[a] > s[b] || (s[a] == s[b] && a < b);
    }

    private static void up(int[] h, int at, float[] s) {
        while (at > 0) {
            int parent = (at - 1) / 2;
            if (!better(h[parent], h[at], s)) {
                break;
            }
            int t = h[parent];
            h[parent] = h[at];
            h[at] = t;
            at = parent;
        }
    }

    private static void down(int[] h, int size, float[] s) {
        int at = 0;
        while (true) {
            int l = 2 * at + 1;
            int r = l + 1;
            int worst = at;
            if (l < size && better(h[worst], h[l], s)) {
                worst = l;
            }
            if (r < size && better(h[worst], h[r], s)) {
                worst = r;
            }
            if (worst == at) {
                return;
            }
            int t = h[worst];
            h[worst] = h[at];
            h[at] = t;
            at = worst;
        }
    }
}
