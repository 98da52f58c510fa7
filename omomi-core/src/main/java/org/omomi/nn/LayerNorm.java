package org.omomi.nn;

import java.util.Arrays;
import org.omomi.tensor.Tensor;

/**
 * Layer normalization (Ba et al., 2016), as PyTorch's {@code nn.LayerNorm(normalized_shape)}:
 * each example is normalized over its last dimensions, y = (x − μ) / √(σ² + ε) · γ + β, with the
 * biased variance, the same in training and evaluation. Weight γ ones, bias β zeros, of the
 * normalized shape.
 */
public final class LayerNorm extends Module {

    private final int[] normalizedShape;
    private final float eps;
    private final Tensor weight;
    private final Tensor bias;

    public LayerNorm(int... normalizedShape) {
        this.normalizedShape = normalizedShape.clone();
        this.eps = 1e-5f;
        this.weight = parameter("weight", Tensor.ones(normalizedShape));
        this.bias = parameter("bias", Tensor.zeros(normalizedShape));
    }

    @Override
    public void resetParameters(org.omomi.tensor.Rng rng) {
        try (org.omomi.tensor.Autograd.Scope ignored = org.omomi.tensor.Autograd.noGrad()) {
            weight.fill(1f);
            bias.fill(0f);
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        int k = normalizedShape.length;
        int[] shape = x.shape();
        if (shape.length < k || !Arrays.equals(Arrays.copyOfRange(shape, shape.length - k, shape.length), normalizedShape)) {
            throw new IllegalArgumentException(describe() + ": input " + Arrays.toString(shape) + " does not end in " + Arrays.toString(normalizedShape));
        }
        int[] axes = new int[k];
        for (int i = 0; i < k; i++) {
            axes[i] = shape.length - k + i;
        }
        Tensor mean = x.mean(axes, true);
        Tensor var = x.var(axes, 0, true);
        return x.sub(mean).div(var.add(eps).sqrt()).mul(weight).add(bias);
    }

    @Override
    protected String describe() {
        return "LayerNorm(" + Arrays.toString(normalizedShape) + ")";
    }
}
