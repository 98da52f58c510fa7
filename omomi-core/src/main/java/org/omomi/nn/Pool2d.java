package org.omomi.nn;

import org.omomi.tensor.Tensor;

/**
 * Pooling over 2-D windows: max ({@code nn.MaxPool2d}), average ({@code nn.AvgPool2d}, counting
 * padding like PyTorch's default), or adaptive average to a fixed output size
 * ({@code nn.AdaptiveAvgPool2d}); {@link #globalAverage()} averages each channel to one value and
 * flattens to [N, C].
 */
public final class Pool2d extends Module {

    private enum Kind { MAX, AVG, ADAPTIVE_AVG, GLOBAL_AVG }

    private final Kind kind;
    private final int kernel;
    private final int stride;
    private final int padding;

    private Pool2d(Kind kind, int kernel, int stride, int padding) {
        this.kind = kind;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    /** Max over kernel×kernel windows every {@code stride}. */
    public static Pool2d max(int kernel, int stride, int padding) {
        return new Pool2d(Kind.MAX, kernel, stride, padding);
    }

    /** Average over kernel×kernel windows every {@code stride}. */
    public static Pool2d average(int kernel, int stride, int padding) {
        return new Pool2d(Kind.AVG, kernel, stride, padding);
    }

    /** Average into a size×size output whatever the input size. */
    public static Pool2d adaptiveAverage(int size) {
        return new Pool2d(Kind.ADAPTIVE_AVG, size, 0, 0);
    }

    /** Each channel's mean: [N, C, H, W] → [N, C]. */
    public static Pool2d globalAverage() {
        return new Pool2d(Kind.GLOBAL_AVG, 1, 0, 0);
    }

    /** Whether this is max pooling over 2×2 windows every 2, no padding (what the fused convolution does). */
    boolean isMax2x2() {
        return kind == Kind.MAX && kernel == 2 && stride == 2 && padding == 0;
    }

    @Override
    public Tensor forward(Tensor x) {
        switch (kind) {
            case MAX: return x.maxPool2d(kernel, stride, padding);
            case AVG: return x.avgPool2d(kernel, stride, padding, true);
            case ADAPTIVE_AVG: return x.adaptiveAvgPool2d(kernel, kernel);
            default: return x.adaptiveAvgPool2d(1, 1).flatten(1);
        }
    }

    @Override
    protected String describe() {
        switch (kind) {
            case MAX: return "MaxPool2d(" + kernel + ", stride " + stride + (padding != 0 ? ", padding " + padding : "") + ")";
            case AVG: return "AvgPool2d(" + kernel + ", stride " + stride + (padding != 0 ? ", padding " + padding : "") + ")";
            case ADAPTIVE_AVG: return "AdaptiveAvgPool2d(" + kernel + ")";
            default: return "GlobalAvgPool2d()";
        }
    }
}
