package org.omomi.nn;

import org.omomi.tensor.Tensor;

/** Returns its input: a placeholder, for example for a shortcut without projection. */
public final class Identity extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x;
    }
}
