package org.omomi.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** The Vector API bodies of {@link Loops}; loaded only where the module is present. */
final class VectorLoops {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorLoops() {}

    static boolean usable() {
        return L >= 8;
    }

    static void add(float[] d, int dOff, float[] s, int sOff, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(S, d, dOff + i).add(FloatVector.fromArray(S, s, sOff + i)).intoArray(d, dOff + i);
        }
        for (; i < n; i++) {
            d[dOff + i] += s[sOff + i];
        }
    }

    // One loop per operation: C2 intrinsifies a vector operation only when the operator is a
    // constant at the call site; an operator chosen at run time falls back to boxed Java code,
    // tens of times slower (measured: 60% of a ResNet's training time).

    static void apply(int op, float[] a, int aOff, float[] b, int bOff, float[] o, int oOff, int n) {
        int i = 0;
        switch (op) {
            case Loops.ADD:
                for (; i <= n - L; i += L) {
                    FloatVector.fromArray(S, a, aOff + i).add(FloatVector.fromArray(S, b, bOff + i)).intoArray(o, oOff + i);
                }
                break;
            case Loops.SUB:
                for (; i <= n - L; i += L) {
                    FloatVector.fromArray(S, a, aOff + i).sub(FloatVector.fromArray(S, b, bOff + i)).intoArray(o, oOff + i);
                }
                break;
            case Loops.MUL:
                for (; i <= n - L; i += L) {
                    FloatVector.fromArray(S, a, aOff + i).mul(FloatVector.fromArray(S, b, bOff + i)).intoArray(o, oOff + i);
                }
                break;
            default:
                for (; i <= n - L; i += L) {
                    FloatVector.fromArray(S, a, aOff + i).div(FloatVector.fromArray(S, b, bOff + i)).intoArray(o, oOff + i);
                }
        }
        for (; i < n; i++) {
            o[oOff + i] = Loops.scalar(op, a[aOff + i], b[bOff + i]);
        }
    }

    static void applyScalar(int op, float[] a, int aOff, float y, float[] o, int oOff, int n) {
        FloatVector yv = FloatVector.broadcast(S, y);
        int i = 0;
        switch (op) {
            case Loops.ADD:
                for (; i <= n - L; i += L) {
                    FloatVector.fromArray(S, a, aOff + i).add(yv).intoArray(o, oOff + i);
                }
                break;
            case Loops.SUB:
                for (; i <= n - L; i += L) {
                    FloatVector.fromArray(S, a, aOff + i).sub(yv).intoArray(o, oOff + i);
                }
                break;
            case Loops.MUL:
                for (; i <= n - L; i += L) {
                    FloatVector.fromArray(S, a, aOff + i).mul(yv).intoArray(o, oOff + i);
                }
                break;
            default:
                for (; i <= n - L; i += L) {
                    FloatVector.fromArray(S, a, aOff + i).div(yv).intoArray(o, oOff + i);
                }
        }
        for (; i < n; i++) {
            o[oOff + i] = Loops.scalar(op, a[aOff + i], y);
        }
    }

    static void scaledDifference(float y, float[] a, int aOff, float[] b, int bOff, float[] o, int oOff, int n) {
        FloatVector yv = FloatVector.broadcast(S, y);
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(S, a, aOff + i).sub(FloatVector.fromArray(S, b, bOff + i)).mul(yv).intoArray(o, oOff + i);
        }
        for (; i < n; i++) {
            o[oOff + i] = y * (a[aOff + i] - b[bOff + i]);
        }
    }

    static void sparseAdamRow(float[] p, float[] m, float[] v, int at, float[] g, int gOff, int n, float oneMinusB1, float oneMinusB2,
                              float step, float eps) {
        int k = 0;
        for (; k <= n - L; k += L) {
            FloatVector gi = FloatVector.fromArray(S, g, gOff + k);
            FloatVector mOld = FloatVector.fromArray(S, m, at + k);
            FloatVector vOld = FloatVector.fromArray(S, v, at + k);
            FloatVector mi = gi.sub(mOld).mul(oneMinusB1).add(mOld);
            FloatVector vi = gi.mul(gi).sub(vOld).mul(oneMinusB2).add(vOld);
            mi.intoArray(m, at + k);
            vi.intoArray(v, at + k);
            FloatVector pOld = FloatVector.fromArray(S, p, at + k);
            mi.div(vi.sqrt().add(eps)).mul(step).add(pOld).intoArray(p, at + k);
        }
        Loops.sparseAdamScalar(p, m, v, at, g, gOff, k, n, oneMinusB1, oneMinusB2, step, eps);
    }
}
