package org.omomi.tensor;

import java.util.Arrays;

/** Shape arithmetic shared by the tensor operations: sizes, strides, broadcasting, axes. */
final class Shapes {

    private Shapes() {}

    /** Number of elements of a shape; every dimension must be non-negative. */
    static int numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + str(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("shape " + str(shape) + " has more than 2^31 elements; omomi tensors are Java arrays");
            }
        }
        return (int) n;
    }

    /** Row-major strides of a contiguous tensor of this shape. */
    static int[] contiguousStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return strides;
    }

    /** Whether these strides lay the shape out row-major without gaps (size-1 dims may have any stride). */
    static boolean isContiguous(int[] shape, int[] strides) {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] == 1) {
                continue;
            }
            if (shape[i] == 0) {
                return true;
            }
            if (strides[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    /** The broadcast shape of a and b (NumPy rules), or an error naming the op and both shapes. */
    static int[] broadcast(String op, int[] a, int[] b) {
        if (Arrays.equals(a, b)) {
            return a;
        }
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b) + " cannot be broadcast together");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** A possibly negative axis as an index in [0, rank). */
    static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for a tensor of rank " + rank);
        }
        return a;
    }

    /** Normalized, sorted, distinct axes; an empty array means every axis. */
    static int[] axes(String op, int[] axes, int rank) {
        if (axes.length == 0) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = axis(op, axes[i], rank);
        }
        Arrays.sort(out);
        for (int i = 1; i < out.length; i++) {
            if (out[i] == out[i - 1]) {
                throw new IllegalArgumentException(op + ": axis " + out[i] + " given twice");
            }
        }
        return out;
    }

    /** The shape after reducing the given (normalized) axes, keeping them as size 1 or dropping them. */
    static int[] reduced(int[] shape, int[] axes, boolean keepDims) {
        boolean[] reduce = new boolean[shape.length];
        for (int a : axes) {
            reduce[a] = true;
        }
        int rank = keepDims ? shape.length : shape.length - axes.length;
        int[] out = new int[rank];
        int j = 0;
        for (int i = 0; i < shape.length; i++) {
            if (!reduce[i]) {
                out[j++] = shape[i];
            } else if (keepDims) {
                out[j++] = 1;
            }
        }
        return out;
    }

    /** Resolves one -1 in a reshape target against the element count. */
    static int[] inferReshape(int[] from, int[] to) {
        int n = numel(from);
        int infer = -1;
        long known = 1;
        int[] out = to.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape: more than one -1 in " + str(to));
                }
                infer = i;
            } else if (out[i] < 0) {
                throw new IllegalArgumentException("reshape: negative dimension in " + str(to));
            } else {
                known *= out[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw new IllegalArgumentException("reshape: cannot reshape " + str(from) + " (" + n + " elements) into " + str(to));
            }
            out[infer] = (int) (n / known);
        } else if (known != n) {
            throw new IllegalArgumentException("reshape: cannot reshape " + str(from) + " (" + n + " elements) into " + str(to));
        }
        return out;
    }
}
