package org.omomi.train;

import org.omomi.data.Batch;
import org.omomi.tensor.Tensor;

/**
 * What training minimizes: the data loss of a model's outputs on one batch, recorded for autograd
 * (the model's penalties are added by {@link TrainStep}). {@link Head} is the objective of
 * classification and regression; a ranking model (BPR) or a metric-learning encoder (triplets)
 * brings its own.
 */
@FunctionalInterface
public interface Objective {

    /** The mean data loss of {@code outputs} on {@code batch}, a scalar tensor. */
    Tensor loss(Tensor outputs, Batch batch);

    /**
     * Correct predictions in the batch, for the running training accuracy of the run log; NaN
     * when the objective has no notion of a correct prediction (the default).
     */
    default double correct(Tensor outputs, Batch batch) {
        return Double.NaN;
    }
}
