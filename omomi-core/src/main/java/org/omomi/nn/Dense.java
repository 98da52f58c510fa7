package org.omomi.nn;

import org.omomi.init.Init;
import org.omomi.init.Initializer;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * A fully connected layer: each output neuron computes z = Σᵢ wᵢxᵢ + b.
 *
 * <p>Shapes as in PyTorch's {@code nn.Linear}: weight [out, in], bias [out]; input [..., in],
 * output [..., out], computed as x·Wᵀ + b by {@link Tensor#linear}.
 *
 * <p>Default initialization, PyTorch's: weight and bias uniform in ±1/√in (Kaiming-uniform with
 * a = √5). Pass {@link Init#heNormal()} for ReLU networks or {@link Init#xavierUniform()} for
 * tanh/sigmoid ones, as the article recommends.
 */
public final class Dense extends Module {

    private final int in;
    private final int out;
    private final Initializer weightInit;
    private final Initializer biasInit;
    private final Tensor weight;
    private final Tensor bias;

    /** A layer with a bias and PyTorch's default initialization. */
    public Dense(int in, int out, Rng rng) {
        this(in, out, true, rng, Init.torchDefaultWeight(), Init.torchDefaultBias(in));
    }

    /** A layer with chosen initializers for the weight and the bias (ignored without a bias). */
    public Dense(int in, int out, boolean withBias, Rng rng, Initializer weightInit, Initializer biasInit) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("Dense: sizes must be positive, got in=" + in + ", out=" + out);
        }
        this.in = in;
        this.out = out;
        this.weightInit = weightInit;
        this.biasInit = biasInit;
        this.weight = parameter("weight", Tensor.zeros(out, in));
        this.bias = withBias ? parameter("bias", Tensor.zeros(out)) : null;
        resetParameters(rng);
    }

    @Override
    public void resetParameters(Rng rng) {
        weightInit.initialize(weight, rng);
        if (bias != null) {
            biasInit.initialize(bias, rng);
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() == 0 || x.size(-1) != in) {
            throw new IllegalArgumentException("Dense(" + in + " → " + out + "): expected inputs of shape [..., " + in + "], got " + java.util.Arrays.toString(x.shape()));
        }
        return x.linear(weight, bias);
    }

    public Tensor weight() {
        return weight;
    }

    /** The bias, or null for a layer without one. */
    public Tensor bias() {
        return bias;
    }

    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return out;
    }

    @Override
    protected String describe() {
        return "Dense(" + in + " → " + out + (bias == null ? ", no bias" : "") + ")";
    }
}
