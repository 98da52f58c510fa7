package org.omomi.nn;

import java.util.List;
import org.omomi.tensor.Tensor;

/** Modules applied one after another; children are named "0", "1", … as in PyTorch. */
public final class Sequential extends Module {

    public Sequential(Module... layers) {
        this(List.of(layers));
    }

    public Sequential(List<Module> layers) {
        for (int i = 0; i < layers.size(); i++) {
            child(Integer.toString(i), layers.get(i));
        }
    }

    /**
     * Each layer in turn. A convolution followed by a ReLU and a 2×2 max pooling, none of them with
     * a forward hook, runs as one fused operation ({@link Tensor#conv2dReluMaxPool2}): the same values
     * and gradients, without the convolution's and the ReLU's outputs as tensors.
     */
    @Override
    public Tensor forward(Tensor x) {
        Module[] layers = children().values().toArray(new Module[0]);
        Tensor h = x;
        for (int i = 0; i < layers.length; i++) {
            if (i + 2 < layers.length && fusesConvReluPool(layers[i], layers[i + 1], layers[i + 2])) {
                h = ((Conv2d) layers[i]).forwardReluMaxPool2(h);
                i += 2;
                continue;
            }
            h = layers[i].call(h);
        }
        return h;
    }

    private static boolean fusesConvReluPool(Module a, Module b, Module c) {
        return a instanceof Conv2d && b instanceof Activation act && act.name().equals("ReLU")
                && c instanceof Pool2d pool && pool.isMax2x2()
                && !a.hasForwardHook() && !b.hasForwardHook() && !c.hasForwardHook();
    }

    /** The i-th layer. */
    public Module get(int i) {
        Module m = children().get(Integer.toString(i));
        if (m == null) {
            throw new IndexOutOfBoundsException("Sequential has " + children().size() + " layers, no layer " + i);
        }
        return m;
    }

    public int size() {
        return children().size();
    }
}
