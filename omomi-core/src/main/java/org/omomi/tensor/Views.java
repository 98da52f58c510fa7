package org.omomi.tensor;

import java.util.Arrays;

/**
 * The bodies of {@link Tensor}'s view operations, documented there: each returns a new shape
 * and strides over the same array (copying only where {@link Tensor#reshape} must), and each
 * backward sits right under its forward. Broadcasting is {@link #expand}, whose backward is the
 * sum {@link #sumTo}.
 */
final class Views {

    private Views() {}

    /** {@link Tensor#reshape}: the gradient is reshaped back. */
    static Tensor reshape(Tensor input, int... newShape) {
        int[] shape = input.shape;
        int[] target = Shapes.inferReshape(shape, newShape);
        if (Arrays.equals(target, shape)) {
            return input;
        }
        Tensor out = input.isContiguous()
                ? new Tensor(input.data, input.offset, target, Shapes.contiguousStrides(target))
                : new Tensor(input.toArray(), target);
        return Tensor.tracks(input) ? Tensor.record(out, "reshape", g -> new Tensor[] {g.reshape(shape)}, input) : out;
    }

    /** {@link Tensor#permute}: the gradient is permuted back by the inverse permutation. */
    static Tensor permute(Tensor input, int... dims) {
        int[] shape = input.shape;
        if (dims.length != shape.length) {
            throw new IllegalArgumentException("permute: " + dims.length + " dimensions given for a tensor of shape " + Shapes.str(shape));
        }
        int[] perm = new int[dims.length];
        boolean[] seen = new boolean[dims.length];
        boolean identity = true;
        for (int i = 0; i < dims.length; i++) {
            perm[i] = Shapes.axis("permute", dims[i], shape.length);
            if (seen[perm[i]]) {
                throw new IllegalArgumentException("permute: dimension " + perm[i] + " appears twice in " + Arrays.toString(dims));
            }
            seen[perm[i]] = true;
            identity &= perm[i] == i;
        }
        if (identity) {
            return input;
        }
        Tensor out = input.permuteView(perm);
        if (!Tensor.tracks(input)) {
            return out;
        }
        int[] inverse = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inverse[perm[i]] = i;
        }
        return Tensor.record(out, "permute", g -> new Tensor[] {g.permute(inverse)}, input);
    }

    /** {@link Tensor#expand}, naming {@code op} in its errors: repeated dimensions get stride 0. */
    static Tensor expand(Tensor input, String op, int[] target) {
        int[] shape = input.shape;
        if (Arrays.equals(target, shape)) {
            return input;
        }
        if (target.length < shape.length) {
            throw new IllegalArgumentException(op + ": cannot expand " + Shapes.str(shape) + " to fewer dimensions " + Shapes.str(target));
        }
        int lead = target.length - shape.length;
        int[] s = new int[target.length];
        int[] st = new int[target.length];
        for (int d = 0; d < target.length; d++) {
            int want = target[d];
            if (d < lead) {
                if (want < 0) {
                    throw new IllegalArgumentException(op + ": cannot use -1 for a new dimension when expanding " + Shapes.str(shape) + " to " + Shapes.str(target));
                }
                s[d] = want;
                st[d] = 0;
                continue;
            }
            int have = shape[d - lead];
            if (want == -1 || want == have) {
                s[d] = have;
                st[d] = input.strides[d - lead];
            } else if (have == 1) {
                s[d] = want;
                st[d] = 0;
            } else {
                throw new IllegalArgumentException(op + ": cannot expand " + Shapes.str(shape) + " to " + Shapes.str(target));
            }
        }
        Tensor out = new Tensor(input.data, input.offset, s, st);
        return Tensor.tracks(input) ? Tensor.record(out, "expand", g -> new Tensor[] {sumTo(g, shape)}, input) : out;
    }

    /** Sums a broadcast gradient back down to {@code target}: the adjoint of expanding {@code target} to {@code input}'s shape. */
    private static Tensor sumTo(Tensor input, int[] target) {
        int[] shape = input.shape;
        if (Arrays.equals(target, shape)) {
            return input;
        }
        int lead = shape.length - target.length;
        int[] axes = new int[shape.length];
        int n = 0;
        for (int d = 0; d < shape.length; d++) {
            if (d < lead || (target[d - lead] == 1 && shape[d] != 1)) {
                axes[n++] = d;
            }
        }
        Tensor s = n == 0 ? input : input.sum(Arrays.copyOf(axes, n), true);
        return s.reshape(target);
    }

    /** {@link Tensor#slice(int, int, int, int)}: the gradient is scattered into zeros at the window. */
    static Tensor slice(Tensor input, int axis, int start, int end, int step) {
        int[] shape = input.shape;
        int a = Shapes.axis("slice", axis, shape.length);
        if (step < 1) {
            throw new IllegalArgumentException("slice: step must be positive, got " + step);
        }
        int size = shape[a];
        int s = clampIndex(start, size);
        int e = Math.max(s, clampIndex(end, size));
        int[] ns = shape.clone();
        int[] nst = input.strides.clone();
        ns[a] = (e - s + step - 1) / step;
        nst[a] = input.strides[a] * step;
        Tensor out = new Tensor(input.data, input.offset + s * input.strides[a], ns, nst);
        if (!Tensor.tracks(input)) {
            return out;
        }
        return Tensor.record(out, "slice", g -> {
            Tensor full = Tensor.zeros(shape);
            Tensor window = new Tensor(full.data, s * full.strides[a], ns, stridesWithStep(full.strides, a, step));
            Strided.scatter(g.toArray(), full.data, window.offset, window.shape, window.strides);
            return new Tensor[] {full};
        }, input);
    }

    private static int[] stridesWithStep(int[] strides, int axis, int step) {
        int[] st = strides.clone();
        st[axis] *= step;
        return st;
    }

    private static int clampIndex(int i, int size) {
        int j = i < 0 ? i + size : i;
        return Math.max(0, Math.min(size, j));
    }
}
