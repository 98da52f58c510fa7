package org.omomi.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.omomi.kernel.Parallel;
import org.omomi.tensor.RowSparseGrad;
import org.omomi.tensor.Tensor;

/**
 * Stops training with {@link Diverged} as soon as the loss or any parameter stops being a finite
 * number, naming the step, the loss when it is the one, the first parameter (in state-dict order)
 * that went bad in the step's update, and the checkpoint kept. It runs before the checkpoint
 * callbacks, so no checkpoint is written after the divergence: the last one on disk is the last
 * good state.
 */
public final class DivergenceGuard implements Callback {

    @Override
    public void onStepEnd(TrainContext c, StepResult r) {
        boolean lossBad = !Double.isFinite(r.loss());
        String param = null;
        float bad = 0;
        for (Map.Entry<String, Tensor> e : c.model().namedParameters().entrySet()) {
            Tensor p = e.getValue();
            float[] a = p.array();
            // A lookup table updated by rows (SparseAdam, sparse Adagrad, plain SGD) changed only
            // the rows its gradient lists: reading those keeps the check in proportion to the
            // batch, not to a table of millions of rows. (Constraints map finite values to finite.)
            boolean ok = c.optimizer().changedOnlyListedRows(p) ? rowsFinite(a, p.sparseGrad()) : allFinite(a);
            if (!ok) {
                param = e.getKey();
                for (float v : a) {
                    if (!Float.isFinite(v)) {
                        bad = v;
                        break;
                    }
                }
                break;
            }
        }
        if (!lossBad && param == null) {
            return;
        }
        StringBuilder m = new StringBuilder("step " + c.step() + " (epoch " + (c.epoch() + 1) + ", batch " + c.batch() + "): ");
        if (lossBad) {
            m.append("the loss is ").append((float) r.loss());
        }
        if (param != null) {
            m.append(lossBad ? " and " : "").append("parameter '").append(param).append("' became ").append(bad).append(" in the update");
        }
        Path last = c.runDir() == null ? null : Checkpointer.last(c.runDir());
        m.append(last != null && Files.isRegularFile(last) ? "; the last good checkpoint is kept: " + last
                : "; no checkpoint had been written");
        throw new Diverged(m.toString());
    }

    /**
     * Whether every value of the rows a row-sparse gradient lists is finite. The rows are scattered
     * over the table, so each is a wait on memory: they are split over the threads, as the
     * optimizer split them to update them.
     */
    static boolean rowsFinite(float[] a, RowSparseGrad rows) {
        int dim = rows.dim();
        int[] listed = rows.indices();
        AtomicBoolean bad = new AtomicBoolean();
        Parallel.forRows(listed.length, dim, (from, to) -> {
            for (int i = from; i < to && !bad.get(); i++) {
                if (!allFinite(a, listed[i] * dim, listed[i] * dim + dim)) {
                    bad.set(true);
                }
            }
        });
        return !bad.get();
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
