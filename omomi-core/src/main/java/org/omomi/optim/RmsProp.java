package org.omomi.optim;

import java.util.List;
import org.omomi.tensor.Tensor;

/**
 * RMSprop (Hinton, 2012), exactly as {@code torch.optim.RMSprop}:
 * <pre>
 * g = g + λ·p                        (weight decay λ)
 * s = α·s + (1 − α)·g²
 * a = g̅ = α·g̅ + (1 − α)·g; √(s − g̅²) + ε   if centered, else √s + ε
 * b = μ·b + g / a; p = p − η·b       if momentum μ &gt; 0, else p = p − η·g / a
 * </pre>
 * Defaults: η = 10⁻², α = 0.99, ε = 10⁻⁸, no weight decay, no momentum, not centered.
 */
public final class RmsProp extends Optimizer {

    public record Options(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered) {
        public static Options defaults() {
            return new Options(1e-2, 0.99, 1e-8, 0, 0, false);
        }

        public Options withLr(double v) {
            return new Options(v, alpha, eps, weightDecay, momentum, centered);
        }

        public Options withAlpha(double v) {
            return new Options(lr, v, eps, weightDecay, momentum, centered);
        }

        public Options withWeightDecay(double v) {
            return new Options(lr, alpha, eps, v, momentum, centered);
        }

        public Options withMomentum(double v) {
            return new Options(lr, alpha, eps, weightDecay, v, centered);
        }

        public Options withCentered(boolean on) {
            return new Options(lr, alpha, eps, weightDecay, momentum, on);
        }
    }

    private final Options options;

    public RmsProp(List<Tensor> params, Options options) {
        super(single(params), options.lr(), options.weightDecay(), options.momentum());
        this.options = options;
    }

    @Override
    protected void update(ParamGroup group, float[] p, float[] g, State state) {
        int n = p.length;
        float lr = (float) group.lr();
        float wd = (float) group.weightDecay();
        float mu = (float) group.momentum();
        float alpha = (float) options.alpha();
        float oneMinusAlpha = (float) (1 - options.alpha());
        float eps = (float) options.eps();
        g = addWeightDecay(g, p, wd);
        float[] sq = state.buffer("square_avg", n, 0f);
        for (int i = 0; i < n; i++) {
            sq[i] = sq[i] * alpha + oneMinusAlpha * g[i] * g[i];
        }
        float[] avg = new float[n];
        if (options.centered()) {
            float[] ga = state.buffer("grad_avg", n, 0f);
            for (int i = 0; i < n; i++) {
                ga[i] = Math.fma(oneMinusAlpha, g[i], ga[i] * alpha);
                avg[i] = (float) Math.sqrt(sq[i] + -1f * ga[i] * ga[i]) + eps;
            }
        } else {
            for (int i = 0; i < n; i++) {
                avg[i] = (float) Math.sqrt(sq[i]) + eps;
            }
        }
        if (mu > 0f) {
            float[] buf = state.buffer("momentum_buffer", n, 0f);
            for (int i = 0; i < n; i++) {
                buf[i] = buf[i] * mu + g[i] / avg[i];
                p[i] = Math.fma(-lr, buf[i], p[i]);
            }
        } else {
            for (int i = 0; i < n; i++) {
                p[i] = p[i] + -lr * g[i] / avg[i];
            }
        }
    }
}
