package org.omomi.optim;

import java.util.List;
import org.omomi.tensor.Tensor;

/**
 * Adagrad (Duchi et al., 2011), exactly as {@code torch.optim.Adagrad}:
 * <pre>
 * g = g + λ·p                        (weight decay λ)
 * η' = η / (1 + (t − 1)·decay)
 * s = s + g²                         (s starts at the initial accumulator value)
 * p = p − η'·g / (√s + ε)
 * </pre>
 * Defaults: η = 10⁻², lr decay 0, weight decay 0, initial accumulator 0, ε = 10⁻¹⁰.
 */
public final class Adagrad extends Optimizer {

    public record Options(double lr, double lrDecay, double weightDecay, double initialAccumulator, double eps) {
        public static Options defaults() {
            return new Options(1e-2, 0, 0, 0, 1e-10);
        }

        public Options withLr(double v) {
            return new Options(v, lrDecay, weightDecay, initialAccumulator, eps);
        }

        public Options withLrDecay(double v) {
            return new Options(lr, v, weightDecay, initialAccumulator, eps);
        }

        public Options withWeightDecay(double v) {
            return new Options(lr, lrDecay, v, initialAccumulator, eps);
        }

        public Options withInitialAccumulator(double v) {
            return new Options(lr, lrDecay, weightDecay, v, eps);
        }
    }

    private final Options options;

    public Adagrad(List<Tensor> params, Options options) {
        super(single(params), options.lr(), options.weightDecay(), 0);
        this.options = options;
    }

    /**
     * Adagrad on the rows a batch touched, as PyTorch's sparse branch: s[r] = s[r] + g[r]²,
     * p[r] = p[r] − η'·(g[r] / (√s[r] + ε)). Weight decay would change every row, so PyTorch refuses
     * it with sparse gradients, and so does this.
     */
    @Override
    protected void updateRows(ParamGroup group, float[] p, int dim, int[] rows, float[] values, State state) {
        if (group.weightDecay() != 0) {
            throw new IllegalArgumentException("Adagrad: weight decay is not compatible with sparse gradients (as in PyTorch); "
                    + "put the embedding tables in a parameter group with weight decay 0");
        }
        float step = (float) -(group.lr() / (1 + (state.step - 1) * options.lrDecay()));
        float eps = (float) options.eps();
        float[] sum = state.buffer("sum", p.length, (float) options.initialAccumulator());
        for (int i = 0; i < rows.length; i++) {
            int at = rows[i] * dim;
            for (int k = 0; k < dim; k++) {
                float gi = values[i * dim + k];
                sum[at + k] = sum[at + k] + gi * gi;
                float std = (float) Math.sqrt(sum[at + k]) + eps;
                p[at + k] = p[at + k] + step * (gi / std);
            }
        }
    }

    /** Sparse Adagrad touches only the listed rows (it refuses weight decay, which would not). */
    @Override
    protected boolean updatesOnlyListedRows(ParamGroup group) {
        return group.weightDecay() == 0;
    }

    @Override
    protected void update(ParamGroup group, float[] p, float[] g, State state) {
        int n = p.length;
        float wd = (float) group.weightDecay();
        g = addWeightDecay(g, p, wd);
        double clr = group.lr() / (1 + (state.step - 1) * options.lrDecay());
        float step = (float) -clr;
        float eps = (float) options.eps();
        float[] sum = state.buffer("sum", n, (float) options.initialAccumulator());
        for (int i = 0; i < n; i++) {
            sum[i] = sum[i] + 1f * g[i] * g[i];
            float std = (float) Math.sqrt(sum[i]) + eps;
            p[i] = p[i] + step * g[i] / std;
        }
    }
}
