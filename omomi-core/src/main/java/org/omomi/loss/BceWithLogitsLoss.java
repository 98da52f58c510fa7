package org.omomi.loss;

import org.omomi.tensor.Tensor;

/**
 * Binary cross-entropy on logits x (before the sigmoid): (1 − t)·x + (1 + (pw − 1)·t)·softplus(−x),
 * which equals −[pw·t·ln σ(x) + (1 − t)·ln(1 − σ(x))] without ever forming σ(x), so logits of
 * ±10⁴ give finite losses and gradients; {@code nn.BCEWithLogitsLoss}.
 *
 * @param posWeight weight of positive examples, broadcast against the last dimension (one per
 *                  class), or null for 1; above 1 it raises recall on rare positives
 * @param weight    per-element weights, or null
 */
public record BceWithLogitsLoss(Tensor posWeight, Tensor weight, Reduction reduction) implements Loss {

    public BceWithLogitsLoss() {
        this(null, null, Reduction.MEAN);
    }

    @Override
    public Tensor compute(Tensor logits, Tensor target) {
        Loss.requireSameShape("BceWithLogitsLoss", logits, target);
        if (posWeight == null) {
            Tensor l = logits.binaryCrossEntropyWithLogits(target);
            return reduction.apply(weight == null ? l : l.mul(weight));
        }
        Tensor logWeight = posWeight == null ? null : target.mul(posWeight.sub(1f)).add(1f);
        Tensor softplusNeg = logits.neg().softplus(1f, 20f); // ln(1 + e^−x), linear for x < −20
        Tensor l = target.neg().add(1f).mul(logits).add(logWeight == null ? softplusNeg : softplusNeg.mul(logWeight));
        return reduction.apply(weight == null ? l : l.mul(weight));
    }
}
