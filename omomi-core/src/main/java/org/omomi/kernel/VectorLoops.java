package org.omomi.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
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

    private static VectorOperators.Binary operator(int op) {
        switch (op) {
            case Loops.ADD: return VectorOperators.ADD;
            case Loops.SUB: return VectorOperators.SUB;
            case Loops.MUL: return VectorOperators.MUL;
            default: return VectorOperators.DIV;
        }
    }

    static void apply(int op, float[] a, int aOff, float[] b, int bOff, float[] o, int oOff, int n) {
        VectorOperators.Binary v = operator(op);
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(S, a, aOff + i).lanewise(v, FloatVector.fromArray(S, b, bOff + i)).intoArray(o, oOff + i);
        }
        for (; i < n; i++) {
            o[oOff + i] = Loops.scalar(op, a[aOff + i], b[bOff + i]);
        }
    }

    static void applyScalar(int op, float[] a, int aOff, float y, float[] o, int oOff, int n) {
        VectorOperators.Binary v = operator(op);
        FloatVector yv = FloatVector.broadcast(S, y);
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(S, a, aOff + i).lanewise(v, yv).intoArray(o, oOff + i);
        }
        for (; i < n; i++) {
            o[oOff + i] = Loops.scalar(op, a[aOff + i], y);
        }
    }
}
