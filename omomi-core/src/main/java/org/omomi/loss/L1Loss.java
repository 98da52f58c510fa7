package org.omomi.loss;

import org.omomi.tensor.Tensor;

/** Absolute error |p − t|; {@code nn.L1Loss} (gradient 0 where p = t). */
public record L1Loss(Reduction reduction) implements Loss {

    public L1Loss() {
        this(Reduction.MEAN);
    }

    @Override
    public Tensor compute(Tensor prediction, Tensor target) {
        Loss.requireSameShape("L1Loss", prediction, target);
        return reduction.apply(prediction.sub(target).abs());
    }
}
