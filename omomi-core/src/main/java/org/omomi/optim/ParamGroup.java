package org.omomi.optim;

import java.util.List;
import org.omomi.tensor.Tensor;

/**
 * Parameters that share hyperparameters, for example every bias and normalization scale with
 * weight decay 0 while the weights decay. Values left unset take the optimizer's; schedules change
 * {@link #lr()} (and one-cycle {@link #momentum()}) while training runs.
 */
public final class ParamGroup {

    private final List<Tensor> params;
    private Double lr;
    private Double weightDecay;
    private Double momentum;

    private ParamGroup(List<Tensor> params) {
        this.params = List.copyOf(params);
    }

    /** A group using the optimizer's hyperparameters. */
    public static ParamGroup of(List<Tensor> params) {
        return new ParamGroup(params);
    }

    /** This group with its own learning rate. */
    public ParamGroup withLr(double value) {
        lr = value;
        return this;
    }

    /** This group with its own weight decay (0 turns it off). */
    public ParamGroup withWeightDecay(double value) {
        weightDecay = value;
        return this;
    }

    /** This group with its own momentum (β₁ for Adam). */
    public ParamGroup withMomentum(double value) {
        momentum = value;
        return this;
    }

    void resolve(double defaultLr, double defaultWeightDecay, double defaultMomentum) {
        if (lr == null) {
            lr = defaultLr;
        }
        if (weightDecay == null) {
            weightDecay = defaultWeightDecay;
        }
        if (momentum == null) {
            momentum = defaultMomentum;
        }
    }

    public List<Tensor> params() {
        return params;
    }

    public double lr() {
        return lr;
    }

    public void setLr(double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("learning rate must be a finite number ≥ 0, got " + value);
        }
        lr = value;
    }

    public double weightDecay() {
        return weightDecay;
    }

    public double momentum() {
        return momentum;
    }

    public void setMomentum(double value) {
        momentum = value;
    }
}
