package org.omomi.nn;

import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * A learned offset added to the last dimension, y = x + b with b [features], zero at first: the
 * global bias of a matrix factorization (μ in r̂ = μ + b_u + b_i + p_u·q_i), which no other layer
 * holds without also scaling its input. Its PyTorch twin is the two-line {@code Bias} module of
 * {@link LayerSpec.BiasSpec#pytorchDefinitions()}.
 */
public final class Bias extends Module {

    private final int features;
    private final Tensor bias;

    public Bias(int features) {
        if (features < 1) {
            throw new IllegalArgumentException("Bias: features must be positive, got " + features);
        }
        this.features = features;
        this.bias = parameter("bias", Tensor.zeros(features));
    }

    /** Zero: the offset is learned from the data (or set from it, as a rating mean). */
    @Override
    public void resetParameters(Rng rng) {
        try (org.omomi.tensor.Autograd.Scope ignored = org.omomi.tensor.Autograd.noGrad()) {
            bias.fill(0f);
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() == 0 || x.size(-1) != features) {
            throw new IllegalArgumentException("Bias(" + features + "): expected inputs of shape [..., " + features + "], got "
                    + java.util.Arrays.toString(x.shape()));
        }
        return x.add(bias);
    }

    public Tensor bias() {
        return bias;
    }

    @Override
    protected String describe() {
        return "Bias(" + features + ")";
    }
}
