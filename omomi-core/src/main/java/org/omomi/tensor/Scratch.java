package org.omomi.tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * A few large float arrays kept for reuse, so kernels that need big temporary buffers (im2col
 * columns, their gradients) do not allocate and zero tens of megabytes on every call: in a
 * training loop that was a tenth of the time, spent by the kernel faulting in fresh pages.
 * Arrays come back with whatever they held before; users overwrite what they use.
 */
final class Scratch {

    private static final int KEEP = 8;
    private static final List<float[]> POOL = new ArrayList<>();

    private Scratch() {}

    /** An array of at least {@code size} elements (contents undefined). */
    static float[] take(int size) {
        synchronized (POOL) {
            int best = -1;
            for (int i = 0; i < POOL.size(); i++) {
                int len = POOL.get(i).length;
                if (len >= size && (best < 0 || len < POOL.get(best).length)) {
                    best = i;
                }
            }
            if (best >= 0) {
                return POOL.remove(best);
            }
        }
        return new float[size];
    }

    /** Returns an array for reuse; the caller must not touch it afterwards. */
    static void give(float[] a) {
        if (a == null) {
            return;
        }
        synchronized (POOL) {
            if (POOL.size() < KEEP) {
                POOL.add(a);
            } else {
                // Keep the largest arrays: they are the expensive ones to allocate.
                int smallest = 0;
                for (int i = 1; i < POOL.size(); i++) {
                    if (POOL.get(i).length < POOL.get(smallest).length) {
                        smallest = i;
                    }
                }
                if (POOL.get(smallest).length < a.length) {
                    POOL.set(smallest, a);
                }
            }
        }
    }
}
