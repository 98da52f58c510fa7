package org.omomi.nn;

import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * A learned bias on its own: y = x + b, with b [features] broadcast over the leading axes of x
 * [..., features]; b starts at 0. A model whose parts are summed (the first-order terms, the
 * pairwise interactions and the deep part of a click model) needs one intercept after the sum,
 * whether or not any of its parts is a dense layer. Key {@code bias}, as a PyTorch
 * {@code nn.Parameter} of the same name in the twin's {@code Bias} module.
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

    @Override
    public void resetParameters(Rng rng) {
        org.omomi.init.Init.zeros().initialize(bias, rng);
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
