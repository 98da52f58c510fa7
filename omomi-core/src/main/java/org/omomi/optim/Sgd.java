package org.omomi.optim;

import java.util.List;
import org.omomi.kernel.Parallel;
import org.omomi.tensor.Tensor;

/**
 * Stochastic gradient descent, with momentum, dampening, Nesterov momentum and coupled weight
 * decay, exactly as {@code torch.optim.SGD}:
 * <pre>
 * d = g + λ·p                                   (when weight decay λ &gt; 0)
 * b = d on the first step, else μ·b + (1 − τ)·d  (when momentum μ &gt; 0; τ = dampening)
 * d = d + μ·b if Nesterov, else d = b
 * p = p − η·d
 * </pre>
 * Defaults: momentum 0, dampening 0, weight decay 0, no Nesterov; the learning rate is required.
 */
public final class Sgd extends Optimizer {

    /** Hyperparameters; start from {@link #lr(double)} and add what you need. */
    public record Options(double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        public static Options lr(double lr) {
            return new Options(lr, 0, 0, 0, false);
        }

        public Options withMomentum(double m) {
            return new Options(lr, m, dampening, weightDecay, nesterov);
        }

        public Options withDampening(double d) {
            return new Options(lr, momentum, d, weightDecay, nesterov);
        }

        public Options withWeightDecay(double wd) {
            return new Options(lr, momentum, dampening, wd, nesterov);
        }

        public Options withNesterov(boolean on) {
            return new Options(lr, momentum, dampening, weightDecay, on);
        }
    }

    private final Options options;

    public Sgd(List<Tensor> params, Options options) {
        this(single(params), options, 0);
    }

    private Sgd(List<ParamGroup> groups, Options options, int ignored) {
        super(groups, options.lr(), options.weightDecay(), options.momentum());
        if (options.nesterov() && (options.momentum() <= 0 || options.dampening() != 0)) {
            throw new IllegalArgumentException("Sgd: Nesterov momentum needs momentum > 0 and dampening 0");
        }
        this.options = options;
    }

    /** Plain SGD with learning rate η. */
    public static Sgd of(List<Tensor> params, double lr) {
        return new Sgd(params, Options.lr(lr));
    }

    /** SGD over parameter groups, with these defaults for anything a group leaves unset. */
    public static Sgd withGroups(List<ParamGroup> groups, Options options) {
        return new Sgd(groups, options, 0);
    }

    /**
     * Plain SGD on the rows a batch touched: p[r] = p[r] − η·g[r], PyTorch's {@code p.add_(grad,
     * alpha=-lr)} for a sparse gradient. With momentum or weight decay every row changes, so the
     * step is the dense one.
     */
    @Override
    protected void updateRows(ParamGroup group, float[] p, int dim, int[] rows, float[] values, State state) {
        if (group.momentum() != 0 || group.weightDecay() != 0) {
            super.updateRows(group, p, dim, rows, values, state);
            return;
        }
        float lr = (float) group.lr();
        for (int i = 0; i < rows.length; i++) {
            int at = rows[i] * dim;
            for (int k = 0; k < dim; k++) {
                p[at + k] = Math.fma(-lr, values[i * dim + k], p[at + k]);
            }
        }
    }

    /** Plain SGD touches only the listed rows; with momentum or weight decay the step is dense. */
    @Override
    protected boolean updatesOnlyListedRows(ParamGroup group) {
        return group.momentum() == 0 && group.weightDecay() == 0;
    }

    @Override
    protected void update(ParamGroup group, float[] p, float[] g, State state) {
        float lr = (float) group.lr();
        float wd = (float) group.weightDecay();
        float mu = (float) group.momentum();
        float damp = (float) (1 - options.dampening());
        float[] d = addWeightDecay(g, p, wd);
        if (mu != 0f) {
            boolean first = !state.has("momentum_buffer");
            float[] buf = state.buffer("momentum_buffer", p.length, 0f);
            if (first) {
                System.arraycopy(d, 0, buf, 0, d.length);
            } else {
                for (int i = 0; i < buf.length; i++) {
                    buf[i] = Math.fma(damp, d[i], buf[i] * mu);
                }
            }
            if (options.nesterov()) {
                float[] nd = new float[d.length];
                for (int i = 0; i < d.length; i++) {
                    nd[i] = Math.fma(mu, buf[i], d[i]);
                }
                d = nd;
            } else {
                d = buf;
            }
        }
        float[] dir = d;
        Parallel.forRange(p.length, 1 << 15, (from, to) -> {
            for (int i = from; i < to; i++) {
                p[i] = Math.fma(-lr, dir[i], p[i]);
            }
        });
    }
}
