package org.omomi.loss;

import org.omomi.tensor.Tensor;

/**
 * Huber loss: ½d² where |d| &lt; δ, else δ(|d| − ½δ), with d = p − t: quadratic near the target,
 * linear far from it, so outliers pull less; {@code nn.HuberLoss(delta)}, default δ = 1.
 */
public record HuberLoss(float delta, Reduction reduction) implements Loss {

    public HuberLoss {
        if (!(delta > 0)) {
            throw new IllegalArgumentException("HuberLoss: delta must be positive, got " + delta);
        }
    }

    public HuberLoss() {
        this(1f, Reduction.MEAN);
    }

    @Override
    public Tensor compute(Tensor prediction, Tensor target) {
        Loss.requireSameShape("HuberLoss", prediction, target);
        Tensor d = prediction.sub(target);
        Tensor z = d.abs();
        Tensor quadratic = d.mul(d).mul(0.5f);
        Tensor linear = z.sub(0.5f * delta).mul(delta);
        return reduction.apply(Tensor.where(z.lt(delta), quadratic, linear));
    }
}
