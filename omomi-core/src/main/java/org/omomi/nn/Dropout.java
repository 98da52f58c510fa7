package org.omomi.nn;

import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * Inverted dropout: in training, each element is zeroed with probability p and the survivors are
 * scaled by 1/(1 − p), so evaluation needs no rescaling; in evaluation it is the identity
 * ({@code nn.Dropout}). {@link #channels} drops whole channels of [N, C, H, W] inputs instead
 * ({@code nn.Dropout2d}): neighbouring pixels are correlated, so dropping single pixels would hardly
 * regularize a convolution.
 */
public final class Dropout extends Module {

    private final float p;
    private final boolean channelWise;
    private Rng rng;

    /** Drops elements with probability {@code p}, drawing masks from a split of {@code rng}. */
    public Dropout(float p, Rng rng) {
        this(p, rng, false);
    }

    private Dropout(float p, Rng rng, boolean channelWise) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException((channelWise ? "Dropout2d" : "Dropout") + ": p must be in [0, 1), got " + p);
        }
        this.p = p;
        this.channelWise = channelWise;
        this.rng = rng.split();
    }

    /** Drops whole channels with probability {@code p}: PyTorch's {@code Dropout2d}. */
    public static Dropout channels(float p, Rng rng) {
        return new Dropout(p, rng, true);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0f) {
            return x;
        }
        if (channelWise && x.dim() != 4) {
            throw new IllegalArgumentException("Dropout2d: expected [N, C, H, W], got " + java.util.Arrays.toString(x.shape()));
        }
        int[] maskShape = channelWise ? new int[] {x.size(0), x.size(1), 1, 1} : x.shape();
        Tensor keep = Tensor.bernoulli(rng, 1f - p, maskShape);
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
        return (channelWise ? "Dropout2d" : "Dropout") + "(p=" + p + ")";
    }
}
