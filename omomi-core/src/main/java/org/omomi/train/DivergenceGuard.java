package org.omomi.train;

import java.util.Map;
import org.omomi.kernel.Parallel;
import org.omomi.tensor.RowSparseGrad;
import org.omomi.tensor.Tensor;

/**
 * Stops training with {@link Diverged} as soon as the loss or any parameter stops being a finite
 * number, naming the step and the first parameter that went bad. It runs before the checkpoint
 * callbacks, so no checkpoint is written after the divergence: the last one on disk is the last
 * good state.
 */
public final class DivergenceGuard implements Callback {

    @Override
    public void onStepEnd(TrainContext c, StepResult r) {
        String where = "step " + c.step() + " (epoch " + (c.epoch() + 1) + ", batch " + c.batch() + ")";
        if (!Double.isFinite(r.loss())) {
            throw new Diverged(where + ": the loss is " + (float) r.loss() + "; the last good checkpoint is kept");
        }
        for (Map.Entry<String, Tensor> e : c.model().namedParameters().entrySet()) {
            Tensor p = e.getValue();
            float[] a = p.array();
            // A table whose step was row-sparse changed only in the rows the batch touched, so only
            // they can have gone bad: checking a 10⁷-row table in full every step would cost more
            // than the step (a finite row stays finite under any optimizer's update of other rows).
            RowSparseGrad rows = p.grad() == null ? p.sparseGrad() : null;
            if (rows == null ? !allFinite(a) : !rowsFinite(a, rows)) {
                float bad = 0;
                for (float v : a) {
                    if (!Float.isFinite(v)) {
                        bad = v;
                        break;
                    }
                }
                throw new Diverged(where + ": parameter '" + e.getKey() + "' became " + bad
                        + " in the update; the last good checkpoint is kept");
            }
        }
    }

    /** Whether the rows listed in a row-sparse gradient are finite in the table {@code a}. */
    static boolean rowsFinite(float[] a, RowSparseGrad rows) {
        int dim = rows.dim();
        float s = 0;
        for (int r : rows.indices()) {
            for (int k = r * dim, end = k + dim; k < end; k++) {
                s += a[k] * 0f;
            }
        }
        return s == 0f;
    }

    /**
     * Whether every value is finite, checked every step so it must be cheap: x·0 is 0 for finite x
     * and NaN for NaN or ±∞, and eight independent sums keep the loop from waiting on itself.
     */
    static boolean allFinite(float[] a) {
        int chunks = Parallel.chunks(a.length, 1 << 16);
        if (chunks <= 1) {
            return allFinite(a, 0, a.length);
        }
        boolean[] ok = new boolean[chunks];
        Parallel.forRange(chunks, 1, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                ok[c] = allFinite(a, (int) ((long) a.length * c / chunks), (int) ((long) a.length * (c + 1) / chunks));
            }
        });
        for (boolean b : ok) {
            if (!b) {
                return false;
            }
        }
        return true;
    }

    private static boolean allFinite(float[] a, int from, int to) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float s4 = 0;
        float s5 = 0;
        float s6 = 0;
        float s7 = 0;
        int i = from;
        for (; i + 7 < to; i += 8) {
            s0 += a[i] * 0f;
            s1 += a[i + 1] * 0f;
            s2 += a[i + 2] * 0f;
            s3 += a[i + 3] * 0f;
            s4 += a[i + 4] * 0f;
            s5 += a[i + 5] * 0f;
            s6 += a[i + 6] * 0f;
            s7 += a[i + 7] * 0f;
        }
        for (; i < to; i++) {
            s0 += a[i] * 0f;
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)) == 0f;
    }
}
