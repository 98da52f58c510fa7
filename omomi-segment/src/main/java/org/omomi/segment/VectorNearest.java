package org.omomi.segment;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link KMeans}'s nearest-centre kernel with the incubating Vector API: one row per lane, reading the feature-major copy of the points: for each centre the squared distances
 * of a whole vector of rows are summed feature by feature, then compared with the best so far.
 * Each lane does exactly the scalar kernel's arithmetic (a fused multiply-add per feature, in the
 * same order), and rows are added to their centre's sums a vector of features at a time, each
 * element by the same float addition as the scalar loop's; so the result is the same bit for bit.
 * Loaded only where the module is present.
 */
final class VectorNearest implements KMeans.Nearest {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);
    private static final int L = F.length();

    /** Whether the vectors are wide enough to pay (8 floats or more). */
    static boolean usable() {
        return L >= 8;
    }

    @Override
    public void nearest(KMeans.Points p, int first, int m, float[] c, int k, float[] best, int[] arg, float[] sums, long[] counts) {
        float[] xt = p.columns();
        int n = p.n;
        int d = p.d;
        int rows = (m + L - 1) / L * L;
        float[] tile = scratch(d * rows);
        for (int j = 0; j < d; j++) {
            System.arraycopy(xt, j * n + first, tile, j * rows, m);
            java.util.Arrays.fill(tile, j * rows + m, (j + 1) * rows, 0f);
        }
        for (int t = 0; t < rows; t += L) {
            FloatVector min = FloatVector.broadcast(F, Float.POSITIVE_INFINITY);
            IntVector which = IntVector.zero(I);
            int q = 0;
            // Four centres at a time: four independent chains of fused multiply-adds keep the
            // vector units busy where one chain would wait on each result.
            for (; q + 3 < k; q += 4) {
                int c0 = q * d;
                int c1 = c0 + d;
                int c2 = c1 + d;
                int c3 = c2 + d;
                FloatVector v = FloatVector.fromArray(F, tile, t);
                FloatVector e0 = v.sub(c[c0]);
                FloatVector e1 = v.sub(c[c1]);
                FloatVector e2 = v.sub(c[c2]);
                FloatVector e3 = v.sub(c[c3]);
                FloatVector a0 = e0.mul(e0);
                FloatVector a1 = e1.mul(e1);
                FloatVector a2 = e2.mul(e2);
                FloatVector a3 = e3.mul(e3);
                for (int j = 1; j < d; j++) {
                    v = FloatVector.fromArray(F, tile, j * rows + t);
                    e0 = v.sub(c[c0 + j]);
                    e1 = v.sub(c[c1 + j]);
                    e2 = v.sub(c[c2 + j]);
                    e3 = v.sub(c[c3 + j]);
                    a0 = e0.fma(e0, a0);
                    a1 = e1.fma(e1, a1);
                    a2 = e2.fma(e2, a2);
                    a3 = e3.fma(e3, a3);
                }
                VectorMask<Float> nearer = a0.lt(min);
                min = min.blend(a0, nearer);
                which = which.blend(q, nearer.cast(I));
                nearer = a1.lt(min);
                min = min.blend(a1, nearer);
                which = which.blend(q + 1, nearer.cast(I));
                nearer = a2.lt(min);
                min = min.blend(a2, nearer);
                which = which.blend(q + 2, nearer.cast(I));
                nearer = a3.lt(min);
                min = min.blend(a3, nearer);
                which = which.blend(q + 3, nearer.cast(I));
            }
            for (; q < k; q++) {
                int co = q * d;
                FloatVector e = FloatVector.fromArray(F, tile, t).sub(c[co]);
                FloatVector acc = e.mul(e);
                for (int j = 1; j < d; j++) {
                    e = FloatVector.fromArray(F, tile, j * rows + t).sub(c[co + j]);
                    acc = e.fma(e, acc);
                }
                VectorMask<Float> nearer = acc.lt(min);
                min = min.blend(acc, nearer);
                which = which.blend(q, nearer.cast(I));
            }
            if (t + L <= m) {
                min.intoArray(best, t);
                which.intoArray(arg, t);
            } else {
                VectorMask<Float> inside = F.indexInRange(t, m);
                min.intoArray(best, t, inside);
                which.intoArray(arg, t, inside.cast(I));
            }
        }
        if (sums != null) {
            float[] x = p.x;
            for (int r = 0; r < m; r++) {
                int a = arg[r];
                int off = (first + r) * d;
                int co = a * d;
                int j = 0;
                for (; j <= d - L; j += L) {
                    FloatVector.fromArray(F, sums, co + j).add(FloatVector.fromArray(F, x, off + j)).intoArray(sums, co + j);
                }
                for (; j < d; j++) {
                    sums[co + j] += x[off + j];
                }
                counts[a]++;
            }
        }
    }

    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    /** A per-thread buffer of at least {@code size} floats. */
    private static float[] scratch(int size) {
        float[] s = SCRATCH.get();
        if (s.length < size) {
            s = new float[size];
            SCRATCH.set(s);
        }
        return s;
    }

}
