package org.omomi.nn;

import org.omomi.tensor.Autograd;
import org.omomi.tensor.Tensor;

/**
 * Batch normalization (Ioffe and Szegedy, 2015), exactly as PyTorch's {@code BatchNorm1d} and
 * {@code BatchNorm2d}: per channel (dimension 1), y = (x − μ) / √(σ² + ε) · γ + β.
 *
 * <p>In training, μ and σ² are the batch's mean and biased variance over every dimension but the
 * channel's, and the running estimates move towards them: running_mean ← (1 − m)·running_mean +
 * m·μ, running_var ← (1 − m)·running_var + m·σ²·n/(n − 1) (the unbiased variance), with momentum
 * m = 0.1; num_batches_tracked counts the updates. In evaluation the running estimates are used.
 * Normalizing each layer's inputs keeps their scale steady whatever the weights' scale, so
 * gradients neither vanish nor explode and initialization matters much less.
 *
 * <p>Parameters {@code weight} (γ, ones) and {@code bias} (β, zeros); buffers {@code running_mean}
 * (zeros), {@code running_var} (ones), {@code num_batches_tracked} (0): PyTorch's state-dict keys.
 */
public final class BatchNorm extends Module {

    private final int features;
    private final int spatialDims;
    private final float eps;
    private final float momentum;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor batchesTracked;

    private BatchNorm(int features, int spatialDims, float eps, float momentum) {
        if (features < 1) {
            throw new IllegalArgumentException("BatchNorm: features must be positive, got " + features);
        }
        this.features = features;
        this.spatialDims = spatialDims;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = parameter("weight", Tensor.ones(features));
        this.bias = parameter("bias", Tensor.zeros(features));
        this.runningMean = buffer("running_mean", Tensor.zeros(features));
        this.runningVar = buffer("running_var", Tensor.ones(features));
        this.batchesTracked = buffer("num_batches_tracked", Tensor.scalar(0));
    }

    /** For [N, C] or [N, C, L] inputs; ε = 1e-5, momentum 0.1. */
    public static BatchNorm of1d(int features) {
        return new BatchNorm(features, 1, 1e-5f, 0.1f);
    }

    /** For [N, C, H, W] inputs; ε = 1e-5, momentum 0.1. */
    public static BatchNorm of2d(int features) {
        return new BatchNorm(features, 2, 1e-5f, 0.1f);
    }

    @Override
    public void resetParameters(org.omomi.tensor.Rng rng) {
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            weight.fill(1f);
            bias.fill(0f);
            runningMean.fill(0f);
            runningVar.fill(1f);
            batchesTracked.fill(0f);
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        boolean ok = spatialDims == 2 ? x.dim() == 4 : x.dim() == 2 || x.dim() == 3;
        if (!ok || x.size(1) != features) {
            throw new IllegalArgumentException(describe() + ": expected input [N, " + features + (spatialDims == 2 ? ", H, W]" : "] or [N, "
                    + features + ", L]") + ", got " + java.util.Arrays.toString(x.shape()));
        }
        if (isTraining() && x.numel() / features < 2) {
            throw new IllegalArgumentException(describe() + ": training needs more than one value per channel, got input "
                    + java.util.Arrays.toString(x.shape()));
        }
        // One fused operation; in training it also moves the running statistics, in place.
        Tensor y = x.batchNorm(weight, bias, runningMean, runningVar, isTraining(), momentum, eps);
        if (isTraining()) {
            try (Autograd.Scope ignored = Autograd.noGrad()) {
                batchesTracked.fill(batchesTracked.item() + 1);
            }
        }
        return y;
    }

    public Tensor runningMean() {
        return runningMean;
    }

    public Tensor runningVar() {
        return runningVar;
    }

    @Override
    protected String describe() {
        return "BatchNorm" + spatialDims + "d(" + features + ")";
    }
}
