package org.omomi.tensor;

import java.util.Arrays;

/**
 * The body of {@link Tensor#binaryCrossEntropy}, documented there: one fused elementwise
 * operation rather than a composition, so that PyTorch's clamping of each logarithm at −100 and
 * of the gradient's denominator at 10⁻¹² hold exactly; the backward sits right under it.
 */
final class BinaryCrossEntropy {

    private BinaryCrossEntropy() {}

    /** {@link Tensor#binaryCrossEntropy}: gradients for both the probabilities and the targets. */
    static Tensor of(Tensor input, Tensor target) {
        int[] shape = input.shape;
        int numel = input.numel;
        if (!Arrays.equals(shape, target.shape)) {
            throw new IllegalArgumentException("binaryCrossEntropy: shapes " + Shapes.str(shape) + " and " + Shapes.str(target.shape) + " differ");
        }
        float[] x = input.denseData();
        float[] t = target.denseData();
        float[] out = new float[numel];
        for (int i = 0; i < numel; i++) {
            if (!(x[i] >= 0f && x[i] <= 1f)) {
                throw new IllegalArgumentException("binaryCrossEntropy: input " + x[i] + " at position " + i + " is not a probability in [0, 1]");
            }
            double logX = Math.max(Math.log(x[i]), -100.0);
            double log1mX = Math.max(Math.log1p(-x[i]), -100.0);
            out[i] = (float) -(t[i] * logX + (1.0 - t[i]) * log1mX);
        }
        Tensor result = new Tensor(out, shape.clone());
        if (!Tensor.tracks(input, target)) {
            return result;
        }
        return Tensor.record(result, "binaryCrossEntropy", g -> {
            float[] gv = g.toArray();
            float[] dx = new float[numel];
            float[] dt = new float[numel];
            for (int i = 0; i < numel; i++) {
                double denom = Math.max((1.0 - x[i]) * x[i], 1e-12);
                dx[i] = (float) (gv[i] * (x[i] - t[i]) / denom);
                // d/dt = ln(1 − x) − ln x, with the same clamping as the forward.
                dt[i] = (float) (gv[i] * (Math.max(Math.log1p(-x[i]), -100.0) - Math.max(Math.log(x[i]), -100.0)));
            }
            return new Tensor[] {new Tensor(dx, shape.clone()), new Tensor(dt, shape.clone())};
        }, input, target);
    }
}
