package org.omomi.optim;

/**
 * Cuts the learning rate when a monitored value stops improving, exactly as
 * {@code torch.optim.lr_scheduler.ReduceLROnPlateau} in mode "min" with relative threshold: a value
 * improves on the best when it is below best·(1 − threshold); after more than {@code patience}
 * epochs without improvement each rate becomes max(rate·factor, minLr), then {@code cooldown}
 * epochs pass before counting again. Defaults: factor 0.1, patience 10, threshold 10⁻⁴,
 * cooldown 0, minLr 0.
 */
public final class ReduceLrOnPlateau {

    private static final double EPS = 1e-8;

    private final Optimizer optimizer;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final int cooldown;
    private final double minLr;
    private double best = Double.POSITIVE_INFINITY;
    private int badEpochs;
    private int cooldownLeft;

    public ReduceLrOnPlateau(Optimizer optimizer, double factor, int patience, double threshold, int cooldown, double minLr) {
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("reduce on plateau: factor must be in (0, 1), got " + factor);
        }
        this.optimizer = optimizer;
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.cooldown = cooldown;
        this.minLr = minLr;
    }

    public static ReduceLrOnPlateau of(Optimizer optimizer) {
        return new ReduceLrOnPlateau(optimizer, 0.1, 10, 1e-4, 0, 0);
    }

    /** Records this epoch's value (lower is better) and cuts the rates if it has plateaued. */
    public void step(double value) {
        if (value < best * (1 - threshold)) {
            best = value;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (cooldownLeft > 0) {
            cooldownLeft--;
            badEpochs = 0;
        }
        if (badEpochs > patience) {
            for (ParamGroup g : optimizer.groups()) {
                double old = g.lr();
                double cut = Math.max(old * factor, minLr);
                if (old - cut > EPS) {
                    g.setLr(cut);
                }
            }
            cooldownLeft = cooldown;
            badEpochs = 0;
        }
    }

    public double best() {
        return best;
    }
}
