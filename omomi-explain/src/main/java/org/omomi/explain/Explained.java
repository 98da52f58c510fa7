package org.omomi.explain;

import org.omomi.nn.Module;
import org.omomi.tensor.Tensor;

/**
 * The function F an explanation is about: a model in evaluation mode, one output index, read as
 * a logit or as a probability. Inputs carry a batch axis; examples are independent (evaluation
 * mode), so F of a batch is a vector and the gradient of its sum is every example's gradient.
 */
public record Explained(Module model, int target, Attribution.Output output) {

    public Explained {
        if (target < 0) {
            throw new IllegalArgumentException("target class must be ≥ 0, got " + target);
        }
    }

    /** F for each example of a batch: shape [N]. Records the graph when autograd is on. */
    public Tensor apply(Tensor batch) {
        Tensor out = model.call(batch);
        if (out.shape().length != 2) {
            throw new IllegalArgumentException("explanations need a model whose output is [batch, outputs], got " + java.util.Arrays.toString(out.shape()));
        }
        int outputs = out.shape()[1];
        if (target >= outputs) {
            throw new IllegalArgumentException("target class " + target + " is out of range: the model has " + outputs + " output" + (outputs == 1 ? "" : "s"));
        }
        if (output == Attribution.Output.PROBABILITY) {
            out = outputs == 1 ? out.sigmoid() : out.softmax(1);
        }
        return out.select(1, target);
    }

    /** F(x) ∈ ℝ for one example x with a batch axis of 1. */
    public double value(Tensor x) {
        try (var ignored = org.omomi.tensor.Autograd.noGrad()) {
            return apply(x).sum().item();
        }
    }

    /** ∂F/∂x for each example of a batch (same shape as the batch). */
    public Tensor gradient(Tensor batch) {
        Tensor in = batch.detach().requiresGrad(true);
        try (var ignored = org.omomi.tensor.Autograd.enableGrad()) {
            return org.omomi.tensor.Autograd.grad(apply(in).sum(), in)[0];
        }
    }

    /** The example's shape without its batch axis of 1. */
    static int[] exampleShape(Tensor x) {
        int[] s = x.shape();
        if (s.length < 2 || s[0] != 1) {
            throw new IllegalArgumentException("explain one example at a time: expected an input of shape [1, …], got " + java.util.Arrays.toString(s));
        }
        return java.util.Arrays.copyOfRange(s, 1, s.length);
    }
}
