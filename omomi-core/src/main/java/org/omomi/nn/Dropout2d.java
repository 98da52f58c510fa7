package org.omomi.nn;

import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * Channel dropout, as {@code nn.Dropout2d}: in training, each whole channel of each example is
 * zeroed with probability p and the others scaled by 1/(1 − p); neighbouring pixels are
 * correlated, so dropping single pixels would hardly regularize a convolution.
 */
public final class Dropout2d extends Module {

    private final float p;
    private Rng rng;

    public Dropout2d(float p, Rng rng) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("Dropout2d: p must be in [0, 1), got " + p);
        }
        this.p = p;
        this.rng = rng.split();
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0f) {
            return x;
        }
        if (x.dim() != 4) {
            throw new IllegalArgumentException("Dropout2d: expected [N, C, H, W], got " + java.util.Arrays.toString(x.shape()));
        }
        Tensor keep = Tensor.bernoulli(rng, 1f - p, x.size(0), x.size(1), 1, 1);
        return x.mul(keep.div(1f - p));
    }

    @Override
    protected Rng generator() {
        return rng;
    }

    @Override
    protected void setGenerator(Rng generator) {
        rng = generator;
    }

    @Override
    protected String describe() {
        return "Dropout2d(p=" + p + ")";
    }
}
