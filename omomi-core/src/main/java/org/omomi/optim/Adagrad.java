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
