package org.omomi.kernel;

/**
 * Hot loops over ranges of float arrays at offsets, vectorized with the Vector API where the JVM
 * has it. C2 leaves {@code d[i + a] += s[i + b]} scalar when both sides may be the same array at
 * different offsets, which is the shape of every row-by-row kernel on flat tensor storage; the
 * Vector API versions do not depend on that analysis. Results are identical either way: these are
 * elementwise operations, each element computed the same.
 */
public final class Loops {

    private static final boolean VECTOR = VectorSupport.present() && VectorLoops.usable();

    private Loops() {}

    /** d[dOff + i] += s[sOff + i] for i &lt; n. */
    public static void add(float[] d, int dOff, float[] s, int sOff, int n) {
        if (VECTOR) {
            VectorLoops.add(d, dOff, s, sOff, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            d[dOff + i] += s[sOff + i];
        }
    }

    /** Operations of {@link #apply}. */
    public static final int ADD = 0;
    public static final int SUB = 1;
    public static final int MUL = 2;
    public static final int DIV = 3;

    /** o[oOff + i] = a[aOff + i] op b[bOff + i] for i &lt; n, op one of ADD, SUB, MUL, DIV. */
    public static void apply(int op, float[] a, int aOff, float[] b, int bOff, float[] o, int oOff, int n) {
        if (VECTOR) {
            VectorLoops.apply(op, a, aOff, b, bOff, o, oOff, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            o[oOff + i] = scalar(op, a[aOff + i], b[bOff + i]);
        }
    }

    /** o[oOff + i] = a[aOff + i] op y for i &lt; n (a row against a broadcast value). */
    public static void applyScalar(int op, float[] a, int aOff, float y, float[] o, int oOff, int n) {
        if (VECTOR) {
            VectorLoops.applyScalar(op, a, aOff, y, o, oOff, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            o[oOff + i] = scalar(op, a[aOff + i], y);
        }
    }

    static float scalar(int op, float x, float y) {
        switch (op) {
            case ADD: return x + y;
            case SUB: return x - y;
            case MUL: return x * y;
            default: return x / y;
        }
    }
}
