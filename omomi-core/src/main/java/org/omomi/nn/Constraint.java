package org.omomi.nn;

import org.omomi.tensor.Tensor;

/**
 * A projection applied to a parameter after each optimizer step, keeping it inside an allowed set.
 */
@FunctionalInterface
public interface Constraint {

    /** Changes {@code parameter} in place (grad mode is off when this runs). */
    void apply(Tensor parameter);

    /**
     * Max-norm (Srivastava et al., 2014, used with dropout): every unit's incoming weight vector, a
     * row of a [out, in, …] weight, is rescaled to L2 norm at most {@code maxNorm}, as Keras's
     * {@code MaxNorm} does: w ← w · min(‖w‖, c) / (‖w‖ + 1e-7).
     */
    static Constraint maxNorm(float maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be positive, got " + maxNorm);
        }
        return p -> {
            Tensor rows = p.dim() == 1 ? p.unsqueeze(0) : p.flatten(1);
            Tensor norms = rows.mul(rows).sum(1, true).sqrt();
            Tensor scale = norms.clamp(0f, maxNorm).div(norms.add(1e-7f));
            p.copyFrom(rows.mul(scale).reshape(p.shape()));
        };
    }

    /** Clamps every element into [lo, hi]. */
    static Constraint clamp(float lo, float hi) {
        return p -> p.copyFrom(p.clamp(lo, hi));
    }
}
