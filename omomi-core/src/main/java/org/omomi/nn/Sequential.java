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

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = x;
        for (Module m : children().values()) {
            h = m.call(h);
        }
        return h;
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
