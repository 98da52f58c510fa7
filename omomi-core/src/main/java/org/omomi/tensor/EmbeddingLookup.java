package org.omomi.tensor;

import java.util.Arrays;

/** {@link Tensor#embedding(IntTensor, Tensor, boolean)}: rows of a table by id, forward and backward. */
final class EmbeddingLookup {

    private EmbeddingLookup() {}

    static Tensor forward(IntTensor ids, Tensor weight, boolean sparse) {
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("embedding: the table must be [rows, dim], got " + Shapes.str(weight.shape()));
        }
        int rows = weight.size(0);
        int dim = weight.size(1);
        int[] idx = ids.data();
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= rows) {
                throw new IndexOutOfBoundsException("embedding: id " + idx[i] + " at position " + i + " is not in [0, " + rows + ")");
            }
        }
        float[] table = weight.denseData(); // offset 0, row-major
        float[] out = new float[idx.length * dim];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(table, idx[i] * dim, out, i * dim, dim);
        }
        int[] shape = Arrays.copyOf(ids.shape(), ids.dim() + 1);
        shape[ids.dim()] = dim;
        Tensor result = Tensor.wrap(out, shape);
        if (!Tensor.tracks(weight)) {
            return result;
        }
        if (sparse) {
            // Coalesced at once, by the ids' own grouping: the rows a batch touched, each once, as
            // the optimizer needs them, with no listed copy of the gradient in between.
            return Tensor.recordSparse(result, "embedding", g -> new Tensor[] {null},
                    g -> RowSparseGrad.summed(rows, dim, ids.grouping(), g.denseData()), weight);
        }
        return Tensor.record(result, "embedding", g -> {
            float[] gv = g.denseData();
            float[] back = new float[rows * dim];
            for (int i = 0; i < idx.length; i++) {
                int dst = idx[i] * dim;
                int src = i * dim;
                for (int k = 0; k < dim; k++) {
                    back[dst + k] += gv[src + k];
                }
            }
            return new Tensor[] {Tensor.wrap(back, rows, dim)};
        }, weight);
    }
}
