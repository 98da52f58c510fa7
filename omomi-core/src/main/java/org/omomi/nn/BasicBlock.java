package org.omomi.nn;

import org.omomi.init.Fans;
import org.omomi.init.Gain;
import org.omomi.init.Init;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * The residual block of ResNet-18/34 (He et al., 2016), named as torchvision's {@code BasicBlock}:
 * conv1 (3×3, stride s) → bn1 → ReLU → conv2 (3×3) → bn2, plus a shortcut, then ReLU. The
 * shortcut is the input itself, or, when the stride or the channel count changes,
 * {@code downsample} = 1×1 convolution with stride s → batch norm (a projection).
 *
 * <p>The shortcut gives the gradient a path around the block: ∂(F(x) + x)/∂x = ∂F/∂x + I, so it
 * reaches early layers undiminished however deep the network; a plain stack of the same layers
 * multiplies the gradient by every layer's Jacobian and lets it vanish. With {@code residual =
 * false} the block is that plain twin, same layers, no shortcut. Convolutions have no bias (batch
 * norm's β replaces it) and He-normal (fan-out) weights, as torchvision initializes them.
 */
public final class BasicBlock extends Module {

    private final int in;
    private final int out;
    private final int stride;
    private final boolean residual;
    private final Conv2d conv1;
    private final BatchNorm bn1;
    private final Conv2d conv2;
    private final BatchNorm bn2;
    private final Sequential downsample;

    public BasicBlock(int in, int out, int stride, boolean residual, Rng rng) {
        this.in = in;
        this.out = out;
        this.stride = stride;
        this.residual = residual;
        var he = Init.kaimingNormal(Gain.relu(), Fans.FanMode.FAN_OUT);
        this.conv1 = child("conv1", new Conv2d(in, out, 3, stride, 1, 1, 1, false, rng, he, null));
        this.bn1 = child("bn1", BatchNorm.of2d(out));
        this.conv2 = child("conv2", new Conv2d(out, out, 3, 1, 1, 1, 1, false, rng, he, null));
        this.bn2 = child("bn2", BatchNorm.of2d(out));
        this.downsample = residual && (stride != 1 || in != out)
                ? child("downsample", new Sequential(new Conv2d(in, out, 1, stride, 0, 1, 1, false, rng, he, null), BatchNorm.of2d(out)))
                : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = bn1.call(conv1.call(x)).relu();
        h = bn2.call(conv2.call(h));
        if (residual) {
            h = h.add(downsample != null ? downsample.call(x) : x);
        }
        return h.relu();
    }

    @Override
    protected String describe() {
        return (residual ? "BasicBlock(" : "PlainBlock(") + in + " → " + out + (stride != 1 ? ", stride " + stride : "") + ")";
    }
}
