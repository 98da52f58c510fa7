package org.omomi.tensor;

import java.util.Arrays;

/**
 * The bodies of {@link Tensor}'s indexing and joining operations, the group PyTorch calls
 * "indexing, slicing, joining": {@link Tensor#pad}, {@link Tensor#cat}, {@link Tensor#stack},
 * {@link Tensor#indexSelect}, {@link Tensor#gather} and {@link Tensor#where}. Each is documented
 * where it is called, on {@code Tensor}; each backward sits right under its forward here. These
 * operations copy; the views that only move strides (slice, permute, expand) are {@link Views}'.
 */
final class Indexing {

    private Indexing() {}

    /**
     * Values copied by an {@link #indexSelect} of rows above which the copy is split between
     * threads. High on purpose: the rows a worker copies land in its core's cache, and the step
     * that reads the batch next fetches them from there. B5's batch of 1,024 rows × 32 (32,768
     * values) ran its epoch in 0.20 s split and 0.13 s on the calling thread (Xeon, 2 cores);
     * splitting 1,024 labels alone cost 0.06 s.
     */
    private static final int PARALLEL_GATHER = 1 << 18;

    /** {@link Tensor#pad}. */
    static Tensor pad(Tensor input, int[] before, int[] after, float value) {
        int[] shape = input.shape;
        if (before.length != shape.length || after.length != shape.length) {
            throw new IllegalArgumentException("pad: padding for " + before.length + " and " + after.length + " dimensions given for shape " + Shapes.str(shape));
        }
        int[] outShape = shape.clone();
        int start = 0;
        int[] outStrides;
        for (int d = 0; d < shape.length; d++) {
            if (before[d] < 0 || after[d] < 0) {
                throw new IllegalArgumentException("pad: negative padding " + Arrays.toString(before) + " / " + Arrays.toString(after));
            }
            outShape[d] += before[d] + after[d];
        }
        Tensor out = Tensor.full(value, outShape);
        outStrides = out.strides;
        for (int d = 0; d < shape.length; d++) {
            start += before[d] * outStrides[d];
        }
        Strided.scatter(input.toArray(), out.data, start, shape, outStrides);
        if (!Tensor.tracks(input)) {
            return out;
        }
        int interior = start;
        return Tensor.record(out, "pad", g -> {
            Tensor gd = g.isDense() ? g : new Tensor(g.toArray(), g.shape.clone());
            return new Tensor[] {new Tensor(gd.data, interior, shape.clone(), gd.strides).contiguous()};
        }, input);
    }

    /** {@link Tensor#cat}: each input's gradient is its slice of the output's. */
    static Tensor cat(int axis, Tensor... tensors) {
        if (tensors.length == 0) {
            throw new IllegalArgumentException("cat: no tensors given");
        }
        Tensor first = tensors[0];
        int a = Shapes.axis("cat", axis, first.shape.length);
        int[] outShape = first.shape.clone();
        outShape[a] = 0;
        for (Tensor t : tensors) {
            if (t.shape.length != first.shape.length) {
                throw new IllegalArgumentException("cat: shapes " + Shapes.str(first.shape) + " and " + Shapes.str(t.shape) + " differ in rank");
            }
            for (int d = 0; d < outShape.length; d++) {
                if (d != a && t.shape[d] != first.shape[d]) {
                    throw new IllegalArgumentException("cat: shapes " + Shapes.str(first.shape) + " and " + Shapes.str(t.shape) + " differ outside axis " + a);
                }
            }
            outShape[a] += t.shape[a];
        }
        Tensor out = Tensor.zeros(outShape);
        int[] starts = new int[tensors.length];
        int at = 0;
        boolean anyGrad = false;
        for (int i = 0; i < tensors.length; i++) {
            Tensor t = tensors[i];
            starts[i] = at;
            Strided.scatter(t.toArray(), out.data, at * out.strides[a], t.shape, out.strides);
            at += t.shape[a];
            anyGrad |= t.requiresGrad();
        }
        if (!anyGrad || !Autograd.isEnabled()) {
            return out;
        }
        return Tensor.record(out, "cat", g -> {
            Tensor[] grads = new Tensor[tensors.length];
            for (int i = 0; i < tensors.length; i++) {
                if (tensors[i].requiresGrad()) {
                    grads[i] = g.slice(a, starts[i], starts[i] + tensors[i].shape[a]).contiguous();
                }
            }
            return grads;
        }, tensors.clone());
    }

    /** {@link Tensor#stack}: a {@link #cat} of unsqueezed views, so it needs no backward of its own. */
    static Tensor stack(int axis, Tensor... tensors) {
        if (tensors.length == 0) {
            throw new IllegalArgumentException("stack: no tensors given");
        }
        int a = Shapes.axis("stack", axis, tensors[0].shape.length + 1);
        Tensor[] expanded = new Tensor[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            if (!Arrays.equals(tensors[i].shape, tensors[0].shape)) {
                throw new IllegalArgumentException("stack: shapes " + Shapes.str(tensors[0].shape) + " and " + Shapes.str(tensors[i].shape) + " differ");
            }
            expanded[i] = tensors[i].unsqueeze(a);
        }
        return cat(a, expanded);
    }

    /** {@link Tensor#indexSelect}. */
    static Tensor indexSelect(Tensor input, int axis, int[] indices) {
        int[] shape = input.shape;
        int numel = input.numel;
        int a = Shapes.axis("indexSelect", axis, shape.length);
        int size = shape[a];
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= size) {
                throw new IndexOutOfBoundsException("indexSelect: index " + indices[i] + " at position " + i + " is out of range for dimension " + a + " of size " + size);
            }
        }
        int outer = 1;
        for (int d = 0; d < a; d++) {
            outer *= shape[d];
        }
        int inner = 1;
        for (int d = a + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        int[] outShape = shape.clone();
        outShape[a] = indices.length;
        float[] x = input.denseData();
        float[] out = new float[Shapes.numel(outShape)];
        int[] idx = indices.clone();
        int rowsOut = idx.length;
        int copyInner = inner;
        if (outer == 1 && (long) rowsOut * inner >= PARALLEL_GATHER) {
            // A mini-batch drawn from a large table: each row is a cache (and TLB) miss, so the
            // copy waits on memory, and two threads keep twice the misses in flight. A copy is
            // the same bits on any number of threads.
            org.omomi.kernel.Parallel.forRange(rowsOut, Math.max(1, PARALLEL_GATHER / 2 / inner), (j0, j1) -> {
                for (int j = j0; j < j1; j++) {
                    System.arraycopy(x, idx[j] * copyInner, out, j * copyInner, copyInner);
                }
            });
        } else {
            for (int o = 0; o < outer; o++) {
                for (int j = 0; j < rowsOut; j++) {
                    System.arraycopy(x, (o * size + idx[j]) * inner, out, (o * rowsOut + j) * inner, inner);
                }
            }
        }
        Tensor result = new Tensor(out, outShape);
        if (!Tensor.tracks(input)) {
            return result;
        }
        int in = inner;
        int out0 = outer;
        return Tensor.record(result, "indexSelect", g -> {
            float[] gv = g.denseData();
            float[] back = new float[numel];
            for (int o = 0; o < out0; o++) {
                for (int j = 0; j < idx.length; j++) {
                    int dst = (o * size + idx[j]) * in;
                    int src = (o * idx.length + j) * in;
                    for (int k = 0; k < in; k++) {
                        back[dst + k] += gv[src + k];
                    }
                }
            }
            return new Tensor[] {new Tensor(back, shape.clone())};
        }, input);
    }

    /** {@link Tensor#gather}. */
    static Tensor gather(Tensor input, int axis, Tensor index) {
        int[] shape = input.shape;
        int numel = input.numel;
        int a = Shapes.axis("gather", axis, shape.length);
        if (index.shape.length != shape.length) {
            throw new IllegalArgumentException("gather: index of shape " + Shapes.str(index.shape) + " and input of shape " + Shapes.str(shape) + " differ in rank");
        }
        for (int d = 0; d < shape.length; d++) {
            if (d != a && index.shape[d] > shape[d]) {
                throw new IllegalArgumentException("gather: index of shape " + Shapes.str(index.shape) + " is larger than input of shape " + Shapes.str(shape) + " in dimension " + d);
            }
        }
        float[] iv = index.toArray();
        int n = iv.length;
        int[] dense = Shapes.contiguousStrides(shape);
        int[] src = new int[n]; // row-major position in the input of each output element
        int[] ishape = index.shape;
        int[] counter = new int[ishape.length];
        for (int e = 0; e < n; e++) {
            float f = iv[e];
            int k = (int) f;
            if (k != f || k < 0 || k >= shape[a]) {
                throw new IndexOutOfBoundsException("gather: index value " + f + " at flat position " + e + " is not a valid index into dimension " + a + " of size " + shape[a]);
            }
            int o = 0;
            for (int d = 0; d < ishape.length; d++) {
                o += (d == a ? k : counter[d]) * dense[d];
            }
            src[e] = o;
            for (int d = ishape.length - 1; d >= 0; d--) {
                if (++counter[d] < ishape[d]) {
                    break;
                }
                counter[d] = 0;
            }
        }
        float[] x = input.denseData();
        float[] out = new float[n];
        for (int e = 0; e < n; e++) {
            out[e] = x[src[e]];
        }
        Tensor result = new Tensor(out, ishape.clone());
        if (!Tensor.tracks(input)) {
            return result;
        }
        return Tensor.record(result, "gather", g -> {
            float[] gv = g.toArray();
            float[] back = new float[numel];
            for (int e = 0; e < n; e++) {
                back[src[e]] += gv[e];
            }
            return new Tensor[] {new Tensor(back, shape.clone())};
        }, input);
    }

    /** {@link Tensor#where}: the gradient goes to {@code a} where the condition holds, else to {@code b}. */
    static Tensor where(Tensor condition, Tensor a, Tensor b) {
        int[] target = Shapes.broadcast("where", Shapes.broadcast("where", condition.shape, a.shape), b.shape);
        Tensor c = condition.expandTo("where", target);
        Tensor x = a.expandTo("where", target);
        Tensor y = b.expandTo("where", target);
        float[] cv = c.toArray();
        float[] xv = x.toArray();
        float[] yv = y.toArray();
        float[] out = new float[cv.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = cv[i] != 0f ? xv[i] : yv[i];
        }
        Tensor result = new Tensor(out, target.clone());
        if (!Tensor.tracks(x, y)) {
            return result;
        }
        return Tensor.record(result, "where", g -> {
            Tensor gx = null;
            Tensor gy = null;
            float[] gv = g.toArray();
            if (x.requiresGrad()) {
                float[] v = new float[gv.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = cv[i] != 0f ? gv[i] : 0f;
                }
                gx = new Tensor(v, target.clone());
            }
            if (y.requiresGrad()) {
                float[] v = new float[gv.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = cv[i] != 0f ? 0f : gv[i];
                }
                gy = new Tensor(v, target.clone());
            }
            return new Tensor[] {gx, gy};
        }, x, y);
    }
}
