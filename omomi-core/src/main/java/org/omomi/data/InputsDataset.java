package org.omomi.data;

import org.omomi.tensor.Inputs;
import org.omomi.tensor.Tensor;

/**
 * A dataset held in memory as named inputs (floats and ids) and targets whose first dimension
 * indexes the examples: the multi-input twin of {@link TensorDataset}. Targets may be null.
 */
public record InputsDataset(Inputs inputs, Tensor targets) implements Dataset {

    public InputsDataset {
        if (targets != null && (targets.dim() == 0 || targets.size(0) != inputs.size())) {
            throw new IllegalArgumentException("InputsDataset: " + inputs.size() + " examples of inputs but targets of shape "
                    + java.util.Arrays.toString(targets.shape()));
        }
    }

    @Override
    public int size() {
        return inputs.size();
    }

    @Override
    public Batch get(int[] indices) {
        return new Batch(inputs.rows(indices), targets == null ? null : targets.indexSelect(0, indices));
    }
}
