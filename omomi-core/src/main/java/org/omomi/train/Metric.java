package org.omomi.train;

import java.util.function.ToDoubleBiFunction;
import org.omomi.tensor.Tensor;

/**
 * One number that judges a model's outputs against the targets of a whole evaluation set, e.g.
 * accuracy, ROC-AUC, log-loss, RMSE or hit rate at k. {@link Head} brings the usual ones for its
 * kind; an application registers its own with {@link Trainer#withMetrics}.
 */
public interface Metric {

    /** The name in metrics.json and the run log (without the split's prefix), e.g. {@code roc_auc}. */
    String name();

    /** The value for these outputs [N, …] and targets [N, …]. */
    double of(Tensor outputs, Tensor targets);

    /** A metric from a name and a function. */
    static Metric of(String name, ToDoubleBiFunction<Tensor, Tensor> f) {
        return new Metric() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public double of(Tensor outputs, Tensor targets) {
                return f.applyAsDouble(outputs, targets);
            }
        };
    }
}
