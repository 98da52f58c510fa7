package org.omomi.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.omomi.tensor.RowSparseGrad;

/** The divergence guard's check of a table updated by rows reads exactly the rows listed. */
class DivergenceGuardRowsTest {

    @Test
    void aBadValueIsFoundInAListedRowAndOnlyThere() {
        float[] table = new float[10 * 4];
        table[7 * 4 + 2] = Float.NaN; // row 7
        RowSparseGrad touched7 = RowSparseGrad.of(10, 4, new int[] {3, 7, 3}, new float[12]);
        RowSparseGrad elsewhere = RowSparseGrad.of(10, 4, new int[] {0, 9}, new float[8]);
        assertFalse(DivergenceGuard.rowsFinite(table, touched7));
        assertTrue(DivergenceGuard.rowsFinite(table, elsewhere), "row 7 was not updated, so it is not read");
        table[9 * 4 + 3] = Float.POSITIVE_INFINITY;
        assertFalse(DivergenceGuard.rowsFinite(table, elsewhere));
        assertFalse(DivergenceGuard.allFinite(table));
    }
}
