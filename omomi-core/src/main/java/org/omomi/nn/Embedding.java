package org.omomi.nn;

import java.util.Arrays;
import org.omomi.init.Init;
import org.omomi.init.Initializer;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * A lookup table of learned vectors: input indices [...] (whole numbers stored as floats) give
 * vectors [..., dim]. Weight [count, dim] as in PyTorch; default initialization N(0, 1), also
 * PyTorch's.
 */
public final class Embedding extends Module {

    private final int count;
    private final int dim;
    private final Initializer init;
    private final Tensor weight;

    public Embedding(int count, int dim, Rng rng) {
        this(count, dim, rng, Init.normal(0f, 1f));
    }

    public Embedding(int count, int dim, Rng rng, Initializer init) {
        if (count < 1 || dim < 1) {
            throw new IllegalArgumentException("Embedding: sizes must be positive, got count=" + count + ", dim=" + dim);
        }
        this.count = count;
        this.dim = dim;
        this.init = init;
        this.weight = parameter("weight", Tensor.zeros(count, dim));
        resetParameters(rng);
    }

    @Override
    public void resetParameters(Rng rng) {
        init.initialize(weight, rng);
    }

    @Override
    public Tensor forward(Tensor indices) {
        float[] v = indices.toArray();
        int[] idx = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            int k = (int) v[i];
            if (k != v[i] || k < 0 || k >= count) {
                throw new IndexOutOfBoundsException("Embedding(" + count + "): index " + v[i] + " at position " + i + " is not in [0, " + count + ")");
            }
            idx[i] = k;
        }
        int[] shape = Arrays.copyOf(indices.shape(), indices.dim() + 1);
        shape[indices.dim()] = dim;
        return weight.indexSelect(0, idx).reshape(shape);
    }

    public Tensor weight() {
        return weight;
    }

    @Override
    protected String describe() {
        return "Embedding(" + count + ", " + dim + ")";
    }
}
