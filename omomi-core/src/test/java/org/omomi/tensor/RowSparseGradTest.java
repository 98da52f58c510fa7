package org.omomi.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coalescing orders the listed rows by row and, within a row, by position, whichever way it sorts
 * (one comparison sort for short lists, radix passes for long ones), so repeats are summed in the
 * same order and the result has the same bits.
 */
class RowSparseGradTest {

    record Case(int listed, int tableRows, int dim, long seed) {
        @Override
        public String toString() {
            return listed + " rows listed of " + tableRows + " × " + dim;
        }
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        int[] listed = {0, 1, 5, RowGrouping.RADIX_FROM - 1, RowGrouping.RADIX_FROM, RowGrouping.RADIX_FROM + 1, 26_624, 100_003};
        int[] tables = {1, 7, 1 << 11, (1 << 11) + 1, 1 << 20, (1 << 22) + 3, Integer.MAX_VALUE};
        long seed = 1;
        for (int n : listed) {
            for (int t : tables) {
                c.add(new Case(n, t, n > 30_000 ? 2 : 16, seed++));
            }
        }
        return c.stream();
    }

    /** The order by (row, position), as a sort of packed longs gives it. */
    private static int[] reference(int[] indices) {
        long[] keys = new long[indices.length];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = ((long) indices[i] << 32) | i;
        }
        Arrays.sort(keys);
        int[] order = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }

    private static int[] draw(Case c, Random r) {
        int[] idx = new int[c.listed()];
        // Few distinct rows (many repeats), as a batch of clicks over a few popular values, or spread.
        int distinct = c.seed() % 2 == 0 ? Math.max(1, c.listed() / 8) : Integer.MAX_VALUE;
        int[] pool = new int[Math.min(distinct, Math.max(1, c.listed()))];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = r.nextInt(c.tableRows());
        }
        for (int i = 0; i < idx.length; i++) {
            idx[i] = pool.length < c.listed() ? pool[r.nextInt(pool.length)] : r.nextInt(c.tableRows());
        }
        return idx;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rowsAreOrderedAsTheComparisonSortOrdersThem(Case c) {
        Random r = new Random(c.seed());
        int[] idx = draw(c, r);
        assertArrayEquals(reference(idx), RowGrouping.byRow(idx));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void coalescingSumsRepeatsInOrderOfAppearance(Case c) {
        Random r = new Random(c.seed() + 1000);
        int[] idx = draw(c, r);
        float[] val = new float[idx.length * c.dim()];
        for (int i = 0; i < val.length; i++) {
            val[i] = (float) r.nextGaussian() * (1 << r.nextInt(12)); // magnitudes apart, so order shows in the bits
        }
        RowSparseGrad g = RowSparseGrad.of(c.tableRows(), c.dim(), idx, val).coalesce();
        int[] order = reference(idx);
        List<Integer> rows = new ArrayList<>();
        List<float[]> sums = new ArrayList<>();
        for (int p : order) {
            float[] v = Arrays.copyOfRange(val, p * c.dim(), (p + 1) * c.dim());
            if (!rows.isEmpty() && rows.get(rows.size() - 1) == idx[p]) {
                float[] s = sums.get(sums.size() - 1);
                for (int k = 0; k < s.length; k++) {
                    s[k] += v[k];
                }
            } else {
                rows.add(idx[p]);
                sums.add(v);
            }
        }
        assertEquals(rows.size(), g.nnzRows());
        assertArrayEquals(rows.stream().mapToInt(Integer::intValue).toArray(), g.indices());
        float[] want = new float[rows.size() * c.dim()];
        for (int u = 0; u < sums.size(); u++) {
            System.arraycopy(sums.get(u), 0, want, u * c.dim(), c.dim());
        }
        assertArrayEquals(want, g.values());
    }
}
