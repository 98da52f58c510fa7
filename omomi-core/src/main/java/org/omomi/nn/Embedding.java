package org.omomi.nn;

import org.omomi.init.Init;
import org.omomi.init.Initializer;
import org.omomi.tensor.IntTensor;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * A lookup table of learned vectors, as {@code torch.nn.Embedding}: ids [...] give vectors
 * [..., dim]. Weight [count, dim]; default initialization N(0, 1), also PyTorch's.
 *
 * <p>With {@code sparse}, a batch's gradient reaches the table as the rows it touched
 * ({@link Tensor#sparseGrad()}), and {@code Sgd}, {@code Adagrad} and {@code Adam} (as PyTorch's
 * {@code SparseAdam}) update only those rows: PyTorch's {@code sparse=True}. A step then costs in
 * proportion to the batch, not to the table, which is what makes 10⁷-row tables trainable.
 */
public final class Embedding extends Module {

    private final int count;
    private final int dim;
    private final boolean sparse;
    private final Initializer init;
    private final Tensor weight;

    public Embedding(int count, int dim, Rng rng) {
        this(count, dim, false, rng, Init.normal(0f, 1f));
    }

    public Embedding(int count, int dim, Rng rng, Initializer init) {
        this(count, dim, false, rng, init);
    }

    public Embedding(int count, int dim, boolean sparse, Rng rng, Initializer init) {
        if (count < 1 || dim < 1) {
            throw new IllegalArgumentException("Embedding: sizes must be positive, got count=" + count + ", dim=" + dim);
        }
        this.count = count;
        this.dim = dim;
        this.sparse = sparse;
        this.init = init;
        this.weight = parameter("weight", Tensor.zeros(count, dim));
        resetParameters(rng);
    }

    @Override
    public void resetParameters(Rng rng) {
        init.initialize(weight, rng);
    }

    /** The vectors of these ids. */
    public Tensor lookup(IntTensor ids) {
        try {
            return Tensor.embedding(ids, weight, sparse);
        } catch (IndexOutOfBoundsException e) {
            throw new IndexOutOfBoundsException("Embedding(" + count + "): " + e.getMessage());
        }
    }

    /** Ids given as whole-number floats (exact only below 2²⁴; prefer {@link #lookup(IntTensor)}). */
    @Override
    public Tensor forward(Tensor indices) {
        float[] v = indices.toArray();
        for (int i = 0; i < v.length; i++) {
            if ((int) v[i] != v[i] || v[i] < 0 || v[i] >= count) {
                throw new IndexOutOfBoundsException("Embedding(" + count + "): index " + v[i] + " at position " + i + " is not in [0, " + count + ")");
            }
        }
        return lookup(IntTensor.fromWholeNumbers(indices));
    }

    @Override
    public Tensor forward(org.omomi.tensor.Inputs inputs) {
        String name = inputs.names().iterator().next();
        return inputs.names().size() == 1 && inputs.isIds(name) ? lookup(inputs.ids(name)) : forward(inputs.single());
    }

    public Tensor weight() {
        return weight;
    }

    public int count() {
        return count;
    }

    public int dim() {
        return dim;
    }

    public boolean sparse() {
        return sparse;
    }

    @Override
    protected String describe() {
        return "Embedding(" + count + ", " + dim + (sparse ? ", sparse=True" : "") + ")";
    }
}
