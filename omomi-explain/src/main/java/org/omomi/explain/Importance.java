package org.omomi.explain;

import org.omomi.nn.Module;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Tensor;

/**
 * Global feature importance of a tabular model: the mean |Integrated Gradients| of each input
 * column, or of each feature whose columns are summed first (the one-hot columns of one
 * categorical column), over a data set.
 */
public final class Importance {

    private Importance() {}

    /**
     * Mean over the first {@code limit} rows of {@code inputs} [N, F] of |IG| per column, each row
     * explaining its predicted class's logit (for one output, that output: a binary classifier's
     * logit or a regression's value, as {@code output} says), 50 Gauss–Legendre steps from
     * {@code baseline} [1, F].
     */
    public static float[] meanAbsIg(Module model, Tensor inputs, Tensor baseline, int limit, Attribution.Output output) {
        int[] own = new int[inputs.shape()[1]];
        for (int j = 0; j < own.length; j++) {
            own[j] = j;
        }
        return meanAbsIg(model, inputs, baseline, limit, output, own, own.length);
    }

    /**
     * As {@link #meanAbsIg(Module, Tensor, Tensor, int, Attribution.Output)}, but per feature:
     * column j belongs to feature {@code feature[j]} (of {@code features}), and each row's
     * attributions are summed within a feature before the absolute value is taken. With a baseline
     * at the data's mean, a categorical feature's sum does not depend on how its one-hot columns'
     * weights are shifted against the bias, which a fit cannot tell apart.
     */
    public static float[] meanAbsIg(Module model, Tensor inputs, Tensor baseline, int limit, Attribution.Output output,
                                    int[] feature, int features) {
        int n = Math.min(limit, inputs.shape()[0]);
        int f = inputs.shape()[1];
        double[] acc = new double[features];
        for (int i = 0; i < n; i++) {
            Tensor x = inputs.slice(0, i, i + 1).contiguous();
            int target;
            try (var ignored = Autograd.noGrad()) {
                target = (int) model.call(x).argmax(1, false).get(0);
            }
            Attribution a = IntegratedGradients.of(new Explained(model, target, output), x, baseline,
                    IntegratedGradients.DEFAULT_STEPS, Quadrature.GAUSS_LEGENDRE);
            double[] row = new double[features];
            for (int j = 0; j < f; j++) {
                row[feature[j]] += a.values()[j];
            }
            for (int g = 0; g < features; g++) {
                acc[g] += Math.abs(row[g]);
            }
        }
        float[] out = new float[features];
        for (int j = 0; j < features; j++) {
            out[j] = (float) (acc[j] / Math.max(1, n));
        }
        return out;
    }
}
