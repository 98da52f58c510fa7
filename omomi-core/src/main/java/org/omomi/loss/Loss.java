package org.omomi.loss;

import java.util.Arrays;
import org.omomi.tensor.Tensor;

/**
 * A loss function: how far predictions are from targets, as a tensor autograd can differentiate.
 * Each implementation follows the PyTorch loss of the same name, numbers included.
 */
@FunctionalInterface
public interface Loss {

    Tensor compute(Tensor prediction, Tensor target);

    /** Fails with both shapes named when prediction and target differ. */
    static void requireSameShape(String loss, Tensor prediction, Tensor target) {
        if (!Arrays.equals(prediction.shape(), target.shape())) {
            throw new IllegalArgumentException(loss + ": prediction shape " + Arrays.toString(prediction.shape())
                    + " and target shape " + Arrays.toString(target.shape()) + " differ");
        }
    }
}
