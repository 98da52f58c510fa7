package org.omomi.explain;

import org.omomi.nn.Module;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Tensor;

/** Global feature importance of a tabular model: the mean |Integrated Gradients| of each input column over a data set. */
public final class Importance {

    private Importance() {}

    /**
     * Mean over the first {@code limit} rows of {@code inputs} [N, F] of |IG| per column, each row
     * explaining its predicted class's logit (for one output, that output: a binary classifier's
     * logit or a regression's value, as {@code output} says), 50 Gauss–Legendre steps from
     * {@code baseline} [1, F].
     */
    public static float[] meanAbsIg(Module model, Tensor inputs, Tensor baseline, int limit, Attribution.Output output) {
        int n = Math.min(limit, inputs.shape()[0]);
        int f = inputs.shape()[1];
        double[] acc = new double[f];
        for (int i = 0; i < n; i++) {
            Tensor x = inputs.slice(0, i, i + 1).contiguous();
            int target;
            try (var ignored = Autograd.noGrad()) {
                target = (int) model.call(x).argmax(1, false).get(0);
            }
            Attribution a = IntegratedGradients.of(new Explained(model, target, output), x, baseline,
                    IntegratedGradients.DEFAULT_STEPS, Quadrature.GAUSS_LEGENDRE);
            for (int j = 0; j < f; j++) {
                acc[j] += Math.abs(a.values()[j]);
            }
        }
        float[] out = new float[f];
        for (int j = 0; j < f; j++) {
            out[j] = (float) (acc[j] / Math.max(1, n));
        }
        return out;
    }
}
