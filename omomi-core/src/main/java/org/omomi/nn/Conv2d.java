package org.omomi.nn;

import org.omomi.init.Init;
import org.omomi.init.Initializer;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * A 2-D convolution layer, as PyTorch's {@code nn.Conv2d}: weight [out, in/groups, k, k], bias
 * [out]; input [N, in, H, W], output [N, out, Ho, Wo]. Each filter slides over the input and
 * computes z = Σ w·x + b at every position; early filters of an image network learn edges and
 * lines. Default initialization, PyTorch's: U(±1/√fan-in) with fan-in = in/groups·k·k, for the
 * weight and the bias.
 */
public final class Conv2d extends Module {

    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int dilation;
    private final int groups;
    private final Initializer weightInit;
    private final Initializer biasInit;
    private final Tensor weight;
    private final Tensor bias;

    /** A k×k convolution with stride 1, padding 0, a bias and PyTorch's initialization. */
    public Conv2d(int in, int out, int kernel, Rng rng) {
        this(in, out, kernel, 1, 0, 1, 1, true, rng, null, null);
    }

    /** Every option; null initializers mean PyTorch's defaults. */
    public Conv2d(int in, int out, int kernel, int stride, int padding, int dilation, int groups, boolean withBias,
                  Rng rng, Initializer weightInit, Initializer biasInit) {
        if (in < 1 || out < 1 || kernel < 1 || stride < 1 || padding < 0 || dilation < 1 || groups < 1
                || in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("Conv2d: invalid configuration in=" + in + " out=" + out + " kernel=" + kernel
                    + " stride=" + stride + " padding=" + padding + " dilation=" + dilation + " groups=" + groups);
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
        int fanIn = in / groups * kernel * kernel;
        this.weightInit = weightInit != null ? weightInit : Init.torchDefaultWeight();
        this.biasInit = biasInit != null ? biasInit : Init.torchDefaultBias(fanIn);
        this.weight = parameter("weight", Tensor.zeros(out, in / groups, kernel, kernel));
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
        if (x.dim() != 4 || x.size(1) != in) {
            throw new IllegalArgumentException(describe() + ": expected input [N, " + in + ", H, W], got " + java.util.Arrays.toString(x.shape()));
        }
        return x.conv2d(weight, bias, new int[] {stride, stride}, new int[] {padding, padding}, new int[] {dilation, dilation}, groups);
    }

    /**
     * {@code forward(x).relu().maxPool2d(2, 2, 0)} in one fused operation (the same bits), for a
     * {@link Sequential} that finds those three layers in a row.
     */
    Tensor forwardReluMaxPool2(Tensor x) {
        if (x.dim() != 4 || x.size(1) != in) {
            throw new IllegalArgumentException(describe() + ": expected input [N, " + in + ", H, W], got " + java.util.Arrays.toString(x.shape()));
        }
        return x.conv2dReluMaxPool2(weight, bias, new int[] {stride, stride}, new int[] {padding, padding},
                new int[] {dilation, dilation}, groups);
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    @Override
    protected String describe() {
        return "Conv2d(" + in + " → " + out + ", " + kernel + "×" + kernel + (stride != 1 ? ", stride " + stride : "")
                + (padding != 0 ? ", padding " + padding : "") + (dilation != 1 ? ", dilation " + dilation : "")
                + (groups != 1 ? ", groups " + groups : "") + (bias == null ? ", no bias" : "") + ")";
    }
}
