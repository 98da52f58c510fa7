package org.omomi.data;

import org.omomi.tensor.Inputs;
import org.omomi.tensor.Tensor;

/**
 * The inputs and targets of a mini-batch; the first dimension of every tensor is the batch.
 * {@code y} may be null where there is nothing to predict against (ranking pairs, prediction).
 */
public record Batch(Inputs inputs, Tensor y) {

    /** A batch of one float input, under {@link Inputs#DEFAULT}. */
    public Batch(Tensor x, Tensor y) {
        this(Inputs.of(x), y);
    }

    /** The only input of a single-input batch. */
    public Tensor x() {
        return inputs.single();
    }

    public int size() {
        return inputs.size();
    }
}
