package org.omomi.data;

import org.omomi.tensor.Tensor;

/** A dataset held in memory as two tensors whose first dimension indexes the examples. */
public record TensorDataset(Tensor x, Tensor y) implements Dataset {

    public TensorDataset {
        if (x.dim() == 0 || y.dim() == 0 || x.size(0) != y.size(0)) {
            throw new IllegalArgumentException("TensorDataset: inputs " + java.util.Arrays.toString(x.shape())
                    + " and targets " + java.util.Arrays.toString(y.shape()) + " must have the same first dimension");
        }
    }

    @Override
    public int size() {
        return x.size(0);
    }

    @Override
    public Batch get(int[] indices) {
        return new Batch(x.indexSelect(0, indices), y.indexSelect(0, indices));
    }
}
