package org.omomi.nn;

import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * Inverted dropout: in training, each element is zeroed with probability p and the survivors are
 * scaled by 1/(1 − p), so evaluation needs no rescaling; in evaluation it is the identity.
 */
public final class Dropout extends Module {

    private final float p;
    private Rng rng;

    /** Drops with probability {@code p}, drawing masks from {@code rng} (split off, owned by this layer). */
    public Dropout(float p, Rng rng) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
        }
        this.p = p;
        this.rng = rng.split();
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0f) {
            return x;
        }
        Tensor keep = Tensor.bernoulli(rng, 1f - p, x.shape());
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

    /** The drop probability. */
    public float p() {
        return p;
    }

    @Override
    protected String describe() {
        return "Dropout(p=" + p + ")";
    }
}
