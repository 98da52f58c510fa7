package org.omomi.loss;

import org.omomi.tensor.Tensor;

/** Mean squared error (p − t)², for regression; {@code nn.MSELoss}. */
public record MseLoss(Reduction reduction) implements Loss {

    public MseLoss() {
        this(Reduction.MEAN);
    }

    @Override
    public Tensor compute(Tensor prediction, Tensor target) {
        Loss.requireSameShape("MseLoss", prediction, target);
        Tensor d = prediction.sub(target);
        return reduction.apply(d.mul(d));
    }
}
