package org.omomi.loss;

import org.omomi.tensor.Tensor;

/** How per-element losses become the loss: their mean (the default), their sum, or all of them. */
public enum Reduction {
    MEAN, SUM, NONE;

    /** Applies this reduction to per-element losses. */
    public Tensor apply(Tensor perElement) {
        switch (this) {
            case MEAN: return perElement.mean();
            case SUM: return perElement.sum();
            default: return perElement;
        }
    }
}
