package org.omomi.ctr;

import java.util.function.DoubleSupplier;
import org.omomi.nn.Constraint;
import org.omomi.tensor.Tensor;

/**
 * L1 regularization λ·Σ|w| as the proximal step of SGD, applied after each optimizer step:
 * w ← sign(w)·max(|w| − η·λ, 0) (soft thresholding; ISTA, the step FOBOS and FTRL-Proximal
 * build on). Unlike adding λ·sign(w) to the gradient, which leaves unhelpful weights jittering
 * around 0 by about η·λ, it sets them to exactly 0, so L1 selects features. η is read from the
 * optimizer at each step.
 */
final class SoftThreshold implements Constraint {

    private final double lambda;
    private final DoubleSupplier lr;

    SoftThreshold(double lambda, DoubleSupplier lr) {
        this.lambda = lambda;
        this.lr = lr;
    }

    @Override
    public void apply(Tensor p) {
        float t = (float) (lambda * lr.getAsDouble());
        float[] w = p.array();
        for (int i = 0; i < w.length; i++) {
            float v = w[i];
            w[i] = v > t ? v - t : v < -t ? v + t : 0f;
        }
    }
}
