package org.omomi.tensor;

import org.omomi.kernel.Loops;
import org.omomi.kernel.Parallel;

/**
 * Elementwise kernels on float arrays.
 *
 * <p>Every operation is a {@code switch} outside its loop, never a lambda inside it: a loop calling
 * through a shared functional interface sees many implementations, cannot inline any of them, and
 * stays scalar. Dense loops index every array by the same {@code i} with no offsets, the form C2
 * turns into vector instructions. Work above a size threshold is split over {@link Parallel}.
 */
final class Elementwise {

    private Elementwise() {}

    // Unary operations; p and q are the parameters the op names.
    static final int EXP = 0;
    static final int LOG = 1;
    static final int LOG1P = 2;
    static final int SQRT = 3;
    static final int ABS = 4;
    static final int RELU = 5;
    static final int SIGMOID = 6;
    static final int TANH = 7;
    static final int ERF = 8;
    static final int SIGN = 9;
    /** x^p. */
    static final int POW = 10;
    /** min(max(x, p), q). */
    static final int CLAMP = 11;
    /** p·x + q. */
    static final int AFFINE = 12;
    static final int IS_NAN = 13;
    static final int IS_FINITE = 14;
    /** x / p (exact division, not multiplication by 1/p). */
    static final int DIV_BY = 15;
    /** Comparisons with a scalar p: 1 or 0. */
    static final int GT_S = 16;
    static final int GE_S = 17;
    static final int LT_S = 18;
    static final int LE_S = 19;
    static final int EQ_S = 20;
    static final int NE_S = 21;

    // Binary operations.
    static final int ADD = 0;
    static final int SUB = 1;
    static final int MUL = 2;
    static final int DIV = 3;
    static final int POW2 = 4;
    static final int MAX = 5;
    static final int MIN = 6;
    static final int GT = 7;
    static final int GE = 8;
    static final int LT = 9;
    static final int LE = 10;
    static final int EQ = 11;
    static final int NE = 12;
    /** a where b &gt; 0, else 0: ReLU's backward, given the gradient a and ReLU's output b. */
    static final int PASS_IF_POSITIVE = 13;

    /** Below this many elements a cheap op runs on one thread: the hand-off costs more. */
    private static final int GRAIN_CHEAP = 1 << 16;
    /** Transcendental ops cost tens of cycles an element, so they split earlier. */
    private static final int GRAIN_COSTLY = 1 << 13;

    static boolean costly(int unaryOp) {
        switch (unaryOp) {
            case EXP: case LOG: case LOG1P: case SIGMOID: case TANH: case ERF: case POW:
                return true;
            default:
                return false;
        }
    }

    /** out[i] = op(x[i]) for i &lt; n; x and out are dense (they may be the same array). */
    static void unary(int op, float[] x, float[] out, int n, float p, float q) {
        Parallel.forRange(n, costly(op) ? GRAIN_COSTLY : GRAIN_CHEAP, (from, to) -> unaryRange(op, x, out, from, to, p, q));
    }

    private static void unaryRange(int op, float[] x, float[] out, int from, int to, float p, float q) {
        switch (op) {
            case EXP:
                for (int i = from; i < to; i++) {
                    out[i] = (float) Math.exp(x[i]);
                }
                break;
            case LOG:
                for (int i = from; i < to; i++) {
                    out[i] = (float) Math.log(x[i]);
                }
                break;
            case LOG1P:
                for (int i = from; i < to; i++) {
                    out[i] = (float) Math.log1p(x[i]);
                }
                break;
            case SQRT:
                for (int i = from; i < to; i++) {
                    out[i] = (float) Math.sqrt(x[i]);
                }
                break;
            case ABS:
                for (int i = from; i < to; i++) {
                    out[i] = Math.abs(x[i]);
                }
                break;
            case RELU:
                for (int i = from; i < to; i++) {
                    out[i] = Math.max(x[i], 0f); // NaN stays NaN, as in PyTorch
                }
                break;
            case SIGMOID:
                for (int i = from; i < to; i++) {
                    out[i] = sigmoid(x[i]);
                }
                break;
            case TANH:
                for (int i = from; i < to; i++) {
                    out[i] = (float) Math.tanh(x[i]);
                }
                break;
            case ERF:
                for (int i = from; i < to; i++) {
                    out[i] = (float) Special.erf(x[i]);
                }
                break;
            case SIGN:
                for (int i = from; i < to; i++) {
                    out[i] = Math.signum(x[i]);
                }
                break;
            case POW:
                powRange(x, out, from, to, p);
                break;
            case CLAMP:
                for (int i = from; i < to; i++) {
                    out[i] = Math.min(Math.max(x[i], p), q);
                }
                break;
            case AFFINE:
                if (q == 0f) {
                    for (int i = from; i < to; i++) {
                        out[i] = p * x[i];
                    }
                } else if (p == 1f) {
                    for (int i = from; i < to; i++) {
                        out[i] = x[i] + q;
                    }
                } else {
                    for (int i = from; i < to; i++) {
                        out[i] = p * x[i] + q;
                    }
                }
                break;
            case GT_S:
                for (int i = from; i < to; i++) {
                    out[i] = x[i] > p ? 1f : 0f;
                }
                break;
            case GE_S:
                for (int i = from; i < to; i++) {
                    out[i] = x[i] >= p ? 1f : 0f;
                }
                break;
            case LT_S:
                for (int i = from; i < to; i++) {
                    out[i] = x[i] < p ? 1f : 0f;
                }
                break;
            case LE_S:
                for (int i = from; i < to; i++) {
                    out[i] = x[i] <= p ? 1f : 0f;
                }
                break;
            case EQ_S:
                for (int i = from; i < to; i++) {
                    out[i] = x[i] == p ? 1f : 0f;
                }
                break;
            case NE_S:
                for (int i = from; i < to; i++) {
                    out[i] = x[i] != p ? 1f : 0f;
                }
                break;
            case DIV_BY:
                for (int i = from; i < to; i++) {
                    out[i] = x[i] / p;
                }
                break;
            case IS_NAN:
                for (int i = from; i < to; i++) {
                    out[i] = Float.isNaN(x[i]) ? 1f : 0f;
                }
                break;
            case IS_FINITE:
                for (int i = from; i < to; i++) {
                    out[i] = Float.isFinite(x[i]) ? 1f : 0f;
                }
                break;
            default:
                throw new IllegalStateException("unknown unary op " + op);
        }
    }

    /** σ(x) = 1/(1+e^−x), written so neither branch overflows. */
    static float sigmoid(float x) {
        if (x >= 0) {
            return (float) (1.0 / (1.0 + Math.exp(-x)));
        }
        double e = Math.exp(x);
        return (float) (e / (1.0 + e));
    }

    private static void powRange(float[] x, float[] out, int from, int to, float p) {
        if (p == 2f) {
            for (int i = from; i < to; i++) {
                out[i] = x[i] * x[i];
            }
        } else if (p == 1f) {
            System.arraycopy(x, from, out, from, to - from);
        } else if (p == 0.5f) {
            for (int i = from; i < to; i++) {
                out[i] = (float) Math.sqrt(x[i]);
            }
        } else {
            for (int i = from; i < to; i++) {
                out[i] = (float) Math.pow(x[i], p);
            }
        }
    }

    /** out[i] = a[i] op b[i] for i &lt; n on dense arrays. */
    static void binary(int op, float[] a, float[] b, float[] out, int n) {
        Parallel.forRange(n, op == POW2 ? GRAIN_COSTLY : GRAIN_CHEAP, (from, to) -> binaryRange(op, a, b, out, from, to));
    }

    private static void binaryRange(int op, float[] a, float[] b, float[] out, int from, int to) {
        switch (op) {
            case ADD:
                for (int i = from; i < to; i++) {
                    out[i] = a[i] + b[i];
                }
                break;
            case SUB:
                for (int i = from; i < to; i++) {
                    out[i] = a[i] - b[i];
                }
                break;
            case MUL:
                for (int i = from; i < to; i++) {
                    out[i] = a[i] * b[i];
                }
                break;
            case DIV:
                for (int i = from; i < to; i++) {
                    out[i] = a[i] / b[i];
                }
                break;
            case PASS_IF_POSITIVE:
                // Branch-free: b ≥ 0 here (a ReLU output), and b·2²⁰⁰ ≥ 1 for every b > 0, subnormals
                // included, so min(b·2²⁰⁰, 1) is the 0/1 mask. A branch on b > 0 is taken at random
                // half the time and ran 30× slower (4.9 against 0.15 ns an element, measured).
                for (int i = from; i < to; i++) {
                    out[i] = a[i] * Math.min(b[i] * 0x1p100f * 0x1p100f, 1f);
                }
                break;
            default:
                for (int i = from; i < to; i++) {
                    out[i] = apply(op, a[i], b[i]);
                }
        }
    }

    /**
     * The same on strided operands: a walk over (a, b, out) where out is dense. Inner loops are
     * specialized for unit and zero strides, the shapes broadcasting produces.
     */
    static void binary(int op, Strided.Walk w, float[] a, float[] b, float[] out) {
        int sa = w.innerStride(0);
        int sb = w.innerStride(1);
        int rows = w.rows();
        int perRow = w.innerSize();
        int minRows = Math.max(1, GRAIN_CHEAP / Math.max(1, perRow));
        Parallel.forRange(rows, minRows, (r0, r1) -> w.forRows(r0, r1, (off, n) -> {
            int ao = off[0];
            int bo = off[1];
            int oo = off[2];
            if (sa == 1 && sb == 1) {
                switch (op) {
                    case ADD:
                    case SUB:
                    case MUL:
                    case DIV:
                        Loops.apply(loopsOp(op), a, ao, b, bo, out, oo, n);
                        return;
                    default:
                        for (int j = 0; j < n; j++) {
                            out[oo + j] = apply(op, a[ao + j], b[bo + j]);
                        }
                        return;
                }
            }
            if (sa == 1 && sb == 0) {
                float y = b[bo];
                switch (op) {
                    case ADD:
                    case SUB:
                    case MUL:
                    case DIV:
                        Loops.applyScalar(loopsOp(op), a, ao, y, out, oo, n);
                        return;
                    default:
                        for (int j = 0; j < n; j++) {
                            out[oo + j] = apply(op, a[ao + j], y);
                        }
                        return;
                }
            }
            if (sa == 0 && sb == 1) {
                float x = a[ao];
                if (op == ADD || op == MUL) { // commutative: x op b[j] = b[j] op x, bit for bit
                    Loops.applyScalar(loopsOp(op), b, bo, x, out, oo, n);
                    return;
                }
                for (int j = 0; j < n; j++) {
                    out[oo + j] = apply(op, x, b[bo + j]);
                }
                return;
            }
            for (int j = 0; j < n; j++) {
                out[oo + j] = apply(op, a[ao + j * sa], b[bo + j * sb]);
            }
        }));
    }

    private static int loopsOp(int op) {
        switch (op) {
            case ADD: return Loops.ADD;
            case SUB: return Loops.SUB;
            case MUL: return Loops.MUL;
            default: return Loops.DIV;
        }
    }

    static float apply(int op, float x, float y) {
        switch (op) {
            case ADD: return x + y;
            case SUB: return x - y;
            case MUL: return x * y;
            case DIV: return x / y;
            case POW2: return (float) Math.pow(x, y);
            case MAX: return Math.max(x, y);
            case MIN: return Math.min(x, y);
            case GT: return x > y ? 1f : 0f;
            case GE: return x >= y ? 1f : 0f;
            case LT: return x < y ? 1f : 0f;
            case LE: return x <= y ? 1f : 0f;
            case EQ: return x == y ? 1f : 0f;
            case NE: return x != y ? 1f : 0f;
            case PASS_IF_POSITIVE: return y > 0f ? x : 0f;
            default: throw new IllegalStateException("unknown binary op " + op);
        }
    }
}
