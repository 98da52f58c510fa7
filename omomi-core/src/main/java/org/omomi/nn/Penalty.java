package org.omomi.nn;

import org.omomi.tensor.Tensor;

/**
 * A regularization term added to the loss: {@code l1(λ)} is λ·Σ|w|, which drives unhelpful weights
 * to exactly zero (sparse weights, feature selection); {@code l2(λ)} is λ·Σw², which keeps every
 * weight small.
 *
 * <h2>L2 penalty versus weight decay</h2>
 * An L2 penalty adds 2λw to each weight's gradient. With plain SGD that is the same as weight
 * decay: w ← w − η(g + 2λw) = (1 − 2ηλ)·w − ηg, so PyTorch's {@code SGD(weight_decay=wd)} equals
 * {@code l2(wd / 2)}. With Adam it is not: the added 2λw is divided by √v̂ with the rest of the
 * gradient, so weights whose gradients were large are decayed less. Decoupled weight decay (AdamW,
 * Loshchilov and Hutter, ICLR 2019) instead shrinks the weights directly, w ← w − ηλw, the same
 * for every weight whatever its gradient history; use the optimizer's weight decay for that.
 */
public record Penalty(Kind kind, float strength) {

    /** Which norm is penalized. */
    public enum Kind { L1, L2 }

    public Penalty {
        if (!(strength >= 0) || !Float.isFinite(strength)) {
            throw new IllegalArgumentException("penalty strength must be a finite number ≥ 0, got " + strength);
        }
    }

    /** λ·Σ|w|. */
    public static Penalty l1(float strength) {
        return new Penalty(Kind.L1, strength);
    }

    /** λ·Σw². */
    public static Penalty l2(float strength) {
        return new Penalty(Kind.L2, strength);
    }

    /** "l1" or "l2". */
    public String name() {
        return kind == Kind.L1 ? "l1" : "l2";
    }

    /** The term for one weight tensor, recorded for autograd. */
    public Tensor apply(Tensor weight) {
        Tensor norm = kind == Kind.L1 ? weight.abs().sum() : weight.mul(weight).sum();
        return norm.mul(strength);
    }
}
