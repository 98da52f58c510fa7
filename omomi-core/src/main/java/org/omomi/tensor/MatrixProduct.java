package org.omomi.tensor;

import java.util.Arrays;
import org.omomi.kernel.Gemm;

/**
 * The bodies of {@link Tensor#matmul} and {@link Tensor#linear}, the two products that run on
 * {@link Gemm}. Each is documented where it is called, on {@code Tensor}; each backward sits
 * right under its forward here, followed by the strided-matrix plumbing that lets a transposed
 * view reach GEMM as a transpose flag instead of a copy.
 */
final class MatrixProduct {

    private MatrixProduct() {}

    /** {@link Tensor#matmul}: dA = dY·Bᵀ and dB = Aᵀ·dY, after broadcasting the batch dimensions. */
    static Tensor matmul(Tensor input, Tensor other) {
        int[] shape = input.shape;
        if (shape.length == 0 || other.shape.length == 0) {
            throw new IllegalArgumentException("matmul: shapes " + Shapes.str(shape) + " and " + Shapes.str(other.shape) + ": both operands need at least one dimension");
        }
        if (shape.length == 1 && other.shape.length == 1) {
            return input.unsqueeze(0).matmul(other.unsqueeze(1)).reshape();
        }
        if (shape.length == 1) {
            return input.unsqueeze(0).matmul(other).squeeze(-2);
        }
        if (other.shape.length == 1) {
            return input.matmul(other.unsqueeze(1)).squeeze(-1);
        }
        int m = shape[shape.length - 2];
        int k = shape[shape.length - 1];
        int k2 = other.shape[other.shape.length - 2];
        int n = other.shape[other.shape.length - 1];
        if (k != k2) {
            throw new IllegalArgumentException("matmul: shapes " + Shapes.str(shape) + " and " + Shapes.str(other.shape) + " do not match (" + k + " ≠ " + k2 + ")");
        }
        int[] batchA = Arrays.copyOf(shape, shape.length - 2);
        int[] batchB = Arrays.copyOf(other.shape, other.shape.length - 2);
        int[] batch = Shapes.broadcast("matmul", batchA, batchB);
        Tensor a = input.expandTo("matmul", concat(batch, m, k));
        Tensor b = other.expandTo("matmul", concat(batch, k, n));
        Tensor out = mm(a, b);
        if (!Tensor.tracks(a, b)) {
            return out;
        }
        return Tensor.record(out, "matmul", g -> new Tensor[] {
                a.requiresGrad() ? mm(g, b.transpose(-1, -2)) : null,
                b.requiresGrad() ? mm(a.transpose(-1, -2), g) : null}, a, b);
    }

    /** {@link Tensor#linear}: dx = dY·W, dW = dYᵀ·x, db = Σ dY over the rows. */
    static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        int[] shape = input.shape;
        int numel = input.numel;
        if (weight.shape.length != 2 || shape.length == 0 || shape[shape.length - 1] != weight.shape[1]) {
            throw new IllegalArgumentException("linear: input " + Shapes.str(shape) + " and weight " + Shapes.str(weight.shape)
                    + " do not match (input's last dimension must be the weight's second)");
        }
        int in = weight.shape[1];
        int outFeatures = weight.shape[0];
        if (bias != null && (bias.shape.length != 1 || bias.shape[0] != outFeatures)) {
            throw new IllegalArgumentException("linear: bias " + Shapes.str(bias.shape) + " for a weight " + Shapes.str(weight.shape));
        }
        int n = numel / Math.max(1, in);
        float[] x = input.denseData();
        float[] w = weight.denseData();
        int[] outShape = shape.clone();
        outShape[outShape.length - 1] = outFeatures;
        float[] out = new float[n * outFeatures];
        if (bias != null) {
            float[] b = bias.denseData();
            if (outFeatures == 1) {
                java.util.Arrays.fill(out, b[0]); // one copy call per row cost more than the product's row
            } else {
                for (int r = 0; r < n; r++) {
                    System.arraycopy(b, 0, out, r * outFeatures, outFeatures);
                }
            }
        }
        Gemm.sgemm(false, true, n, outFeatures, in, 1f, x, 0, in, w, 0, in, bias != null ? 1f : 0f, out, 0, outFeatures);
        Tensor result = new Tensor(out, outShape);
        boolean needs = Autograd.isEnabled() && (input.requiresGrad() || weight.requiresGrad() || (bias != null && bias.requiresGrad()));
        if (!needs) {
            return result;
        }
        Tensor[] inputs = bias == null ? new Tensor[] {input, weight} : new Tensor[] {input, weight, bias};
        return Tensor.record(result, "linear", g -> {
            float[] gv = g.denseData();
            Tensor dx = null;
            Tensor dw = null;
            Tensor db = null;
            if (input.requiresGrad()) {
                float[] d = new float[n * in];
                Gemm.sgemm(false, false, n, in, outFeatures, 1f, gv, 0, outFeatures, w, 0, in, 0f, d, 0, in);
                dx = Tensor.exclusive(new Tensor(d, shape.clone()));
            }
            if (weight.requiresGrad()) {
                float[] d = weight.gradArray(outFeatures * in); // every element written: β = 0
                Gemm.sgemm(true, false, outFeatures, in, n, 1f, gv, 0, outFeatures, x, 0, in, 0f, d, 0, in);
                dw = Tensor.exclusive(new Tensor(d, weight.shape.clone()));
            }
            if (bias != null && bias.requiresGrad()) {
                float[] d = bias.gradArray(outFeatures);
                Reduce.columns(Reduce.SUM, gv, n, outFeatures, d);
                db = Tensor.exclusive(new Tensor(d, bias.shape.clone()));
            }
            return bias == null ? new Tensor[] {dx, dw} : new Tensor[] {dx, dw, db};
        }, inputs);
    }

    private static int[] concat(int[] batch, int r, int c) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = r;
        s[batch.length + 1] = c;
        return s;
    }

    /** Batched product of [..., m, k] and [..., k, n] with equal batch shapes; nothing recorded. */
    private static Tensor mm(Tensor a, Tensor b) {
        int r = a.shape.length;
        int m = a.shape[r - 2];
        int k = a.shape[r - 1];
        int n = b.shape[r - 1];
        int[] outShape = a.shape.clone();
        outShape[r - 1] = n;
        Tensor out = Tensor.zeros(outShape);
        int batches = out.numel / Math.max(1, m * n);
        if (out.numel == 0) {
            return out;
        }
        Tensor ga = gemmReady(a);
        Tensor gb = gemmReady(b);
        // After gemmReady a matrix is row-major (unit column stride) or a transposed view.
        boolean ta = ga.strides[r - 1] != 1;
        boolean tb = gb.strides[r - 1] != 1;
        int lda = ta ? ga.strides[r - 1] : ga.strides[r - 2];
        int ldb = tb ? gb.strides[r - 1] : gb.strides[r - 2];
        int[] counter = new int[r - 2];
        int aOff = ga.offset;
        int bOff = gb.offset;
        for (int i = 0; i < batches; i++) {
            Gemm.sgemm(ta, tb, m, n, k, 1f, ga.data, aOff, lda, gb.data, bOff, ldb, 0f, out.data, i * m * n, n);
            for (int d = r - 3; d >= 0; d--) {
                aOff += ga.strides[d];
                bOff += gb.strides[d];
                if (++counter[d] < out.shape[d]) {
                    break;
                }
                aOff -= ga.strides[d] * out.shape[d];
                bOff -= gb.strides[d] * out.shape[d];
                counter[d] = 0;
            }
        }
        return out;
    }

    /**
     * The tensor itself when each of its matrices is row-major or column-major (a transposed
     * view) with a usable leading dimension; otherwise a dense copy. Batch strides may be anything.
     */
    private static Tensor gemmReady(Tensor t) {
        int r = t.shape.length;
        int rows = t.shape[r - 2];
        int cols = t.shape[r - 1];
        int sr = t.strides[r - 2];
        int sc = t.strides[r - 1];
        boolean rowMajor = (sc == 1 || cols == 1) && (sr >= Math.max(1, cols) || rows == 1);
        boolean colMajor = (sr == 1 || rows == 1) && (sc >= Math.max(1, rows) || cols == 1);
        if (rowMajor || colMajor) {
            return normalizeUnitStrides(t);
        }
        return new Tensor(t.toArray(), t.shape.clone());
    }

    /** Rewrites strides of size-1 matrix dimensions so the layout tests in mm need no special cases. */
    private static Tensor normalizeUnitStrides(Tensor t) {
        int r = t.shape.length;
        int rows = t.shape[r - 2];
        int cols = t.shape[r - 1];
        int[] st = t.strides.clone();
        if (cols == 1 && rows == 1) {
            st[r - 1] = 1;
            st[r - 2] = 1;
        } else if (cols == 1) {
            // A column: row-major with stride sr works only when sr is the step between elements.
            if (st[r - 2] == 1) {
                st[r - 1] = Math.max(1, rows); // column-major, ld = rows
            } else {
                st[r - 1] = 1; // row-major with ld = sr
            }
        } else if (rows == 1) {
            if (st[r - 1] == 1) {
                st[r - 2] = Math.max(1, cols);
            } else {
                st[r - 2] = 1; // column-major with ld = sc
            }
        }
        return new Tensor(t.data, t.offset, t.shape, st);
    }
}
