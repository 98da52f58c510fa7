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

    /** o[oOff + i] = y·(a[aOff + i] − b[bOff + i]) for i &lt; n, in float. */
    public static void scaledDifference(float y, float[] a, int aOff, float[] b, int bOff, float[] o, int oOff, int n) {
        if (VECTOR) {
            VectorLoops.scaledDifference(y, a, aOff, b, bOff, o, oOff, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            o[oOff + i] = y * (a[aOff + i] - b[bOff + i]);
        }
    }

    /**
     * One row of SparseAdam (PyTorch's {@code SparseAdam}, see {@code Adam.updateRows}), for
     * i &lt; n at row offset {@code at} and gradient offset {@code gOff}:
     * <pre>
     * m = m + (g − m)·(1 − β₁);  v = v + (g² − v)·(1 − β₂);  p = p + step·(m / (√v + ε))
     * </pre>
     * Each element is computed with the same operations in the same order either way (a float
     * square root equals the double one rounded to float), so the results are identical.
     */
    public static void sparseAdamRow(float[] p, float[] m, float[] v, int at, float[] g, int gOff, int n, float oneMinusB1,
                                     float oneMinusB2, float step, float eps) {
        if (VECTOR) {
            VectorLoops.sparseAdamRow(p, m, v, at, g, gOff, n, oneMinusB1, oneMinusB2, step, eps);
            return;
        }
        sparseAdamScalar(p, m, v, at, g, gOff, 0, n, oneMinusB1, oneMinusB2, step, eps);
    }

    static void sparseAdamScalar(float[] p, float[] m, float[] v, int at, float[] g, int gOff, int from, int n, float oneMinusB1,
                                 float oneMinusB2, float step, float eps) {
        for (int k = from; k < n; k++) {
            float gi = g[gOff + k];
            float mOld = m[at + k];
            float vOld = v[at + k];
            float mi = mOld + (gi - mOld) * oneMinusB1;
            float vi = vOld + (gi * gi - vOld) * oneMinusB2;
            m[at + k] = mi;
            v[at + k] = vi;
            p[at + k] = p[at + k] + step * (mi / ((float) Math.sqrt(vi) + eps));
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
