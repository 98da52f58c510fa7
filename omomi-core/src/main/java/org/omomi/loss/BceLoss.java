package org.omomi.loss;

import org.omomi.tensor.Tensor;

/**
 * Binary cross-entropy on probabilities: −w[t·ln p + (1 − t)·ln(1 − p)], for binary
 * classification after a sigmoid; {@code nn.BCELoss}. Logarithms are clamped at −100 as PyTorch
 * does, so p = 0 or 1 gives a finite loss and gradient. Prefer {@link BceWithLogitsLoss}, which is
 * stable without clamping.
 *
 * @param weight per-element weights broadcast against the prediction, or null
 */
public record BceLoss(Tensor weight, Reduction reduction) implements Loss {

    public BceLoss() {
        this(null, Reduction.MEAN);
    }

    @Override
    public Tensor compute(Tensor prediction, Tensor target) {
        Loss.requireSameShape("BceLoss", prediction, target);
        Tensor l = prediction.binaryCrossEntropy(target);
        return reduction.apply(weight == null ? l : l.mul(weight));
    }
}
