package org.omomi.tensor;

import java.util.Arrays;
import org.omomi.kernel.Parallel;

/**
 * A list of row ids grouped by row: each distinct row once, in increasing order, and the positions
 * where it appears, in increasing order. Summing a lookup table's gradient rows by row needs only
 * this and the rows' values, so one grouping of a batch's ids serves every table those ids index:
 * a click model's first-order weights and its field vectors look up the same ids
 * ({@link IntTensor} keeps the grouping of its values). Immutable.
 */
final class RowGrouping {

    /** Lists shorter than this are ordered by one comparison sort; longer ones by radix passes. */
    static final int RADIX_FROM = 2048;
    private static final int RADIX_BITS = 11;

    /** The distinct rows, increasing. */
    final int[] rows;
    /** Positions ordered by row; the positions of one row increasing. */
    private final int[] order;
    /** Group u's positions are order[start[u]] … order[start[u + 1] − 1]. */
    private final int[] start;

    private RowGrouping(int[] rows, int[] order, int[] start) {
        this.rows = rows;
        this.order = order;
        this.start = start;
    }

    /** The grouping of {@code ids}, which must not be negative. */
    static RowGrouping of(int[] ids) {
        int n = ids.length;
        int[] order = byRow(ids);
        int[] start = new int[n + 1];
        int unique = 0;
        int previous = -1;
        for (int i = 0; i < n; i++) {
            int row = ids[order[i]];
            if (row != previous) {
                start[unique++] = i;
                previous = row;
            }
        }
        start[unique] = n;
        int[] rows = new int[unique];
        for (int u = 0; u < unique; u++) {
            rows[u] = ids[order[start[u]]];
        }
        return new RowGrouping(rows, order, Arrays.copyOf(start, unique + 1));
    }

    /**
     * The rows of {@code values} ({@code dim} each, one per listed position) summed by group: the
     * first appearance, plus each later one in order of appearance. Each group sums its own
     * positions, so splitting the groups over threads cannot change a sum; the gather is
     * latency-bound, which is why it is split.
     */
    float[] sum(float[] values, int dim) {
        int unique = rows.length;
        float[] out = new float[unique * dim];
        Parallel.forRows(unique, dim, (u0, u1) -> {
            for (int u = u0; u < u1; u++) {
                int dst = u * dim;
                int src = order[start[u]] * dim;
                for (int k = 0; k < dim; k++) {
                    out[dst + k] = values[src + k];
                }
                for (int i = start[u] + 1; i < start[u + 1]; i++) {
                    src = order[i] * dim;
                    for (int k = 0; k < dim; k++) {
                        out[dst + k] += values[src + k];
                    }
                }
            }
        });
        return out;
    }

    /**
     * The positions 0…n−1 ordered by row, and positions of one row in increasing order. Short lists
     * sort (row, position) pairs packed into longs; long ones (a batch of 1,024 clicks over 26
     * fields lists 26,624 rows) take stable counting passes of {@value #RADIX_BITS} bits over the
     * row, as many as the largest row needs (two below 2²²), an eighth of the sort's time. Both
     * give the same order.
     */
    static int[] byRow(int[] ids) {
        int n = ids.length;
        int[] order = new int[n];
        if (n < RADIX_FROM) {
            long[] keys = new long[n];
            for (int i = 0; i < n; i++) {
                keys[i] = ((long) ids[i] << 32) | i;
            }
            Arrays.sort(keys);
            for (int i = 0; i < n; i++) {
                order[i] = (int) keys[i];
            }
            return order;
        }
        int max = 0;
        for (int i = 0; i < n; i++) {
            order[i] = i;
            max |= ids[i];
        }
        int bits = 32 - Integer.numberOfLeadingZeros(max);
        int[] next = new int[n];
        int[] count = new int[(1 << RADIX_BITS) + 1];
        for (int shift = 0; shift < bits; shift += RADIX_BITS) {
            Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) {
                count[((ids[i] >>> shift) & ((1 << RADIX_BITS) - 1)) + 1]++;
            }
            for (int d = 1; d < count.length; d++) {
                count[d] += count[d - 1];
            }
            for (int i = 0; i < n; i++) {
                int p = order[i];
                next[count[(ids[p] >>> shift) & ((1 << RADIX_BITS) - 1)]++] = p;
            }
            int[] t = order;
            order = next;
            next = t;
        }
        return order;
    }
}
