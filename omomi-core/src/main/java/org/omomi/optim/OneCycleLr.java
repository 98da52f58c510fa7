package org.omomi.optim;

import java.util.List;

/**
 * The one-cycle policy (Smith and Topin, 2018), exactly as {@code torch.optim.lr_scheduler.OneCycleLR}
 * with two phases and cosine annealing: the rate rises from maxLr/divFactor to maxLr over the first
 * pctStart of the steps, then falls to maxLr/(divFactor·finalDivFactor); momentum (β₁ for Adam)
 * moves the opposite way between maxMomentum and baseMomentum. Step once per batch.
 * Defaults: pctStart 0.3, divFactor 25, finalDivFactor 10⁴, momentum 0.85–0.95.
 */
public final class OneCycleLr extends LrScheduler {

    private final double[] momentumAt;

    private OneCycleLr(Optimizer optimizer, Rule lr, double[] momentumAt) {
        super(optimizer, lr);
        this.momentumAt = momentumAt;
    }

    public static OneCycleLr of(Optimizer optimizer, double maxLr, int totalSteps) {
        return of(optimizer, maxLr, totalSteps, 0.3, 25, 1e4, 0.85, 0.95);
    }

    public static OneCycleLr of(Optimizer optimizer, double maxLr, int totalSteps, double pctStart,
                                double divFactor, double finalDivFactor, double baseMomentum, double maxMomentum) {
        if (totalSteps < 2) {
            throw new IllegalArgumentException("one-cycle: need at least 2 steps, got " + totalSteps);
        }
        double initialLr = maxLr / divFactor;
        double minLr = initialLr / finalDivFactor;
        double end1 = pctStart * totalSteps - 1;
        double end2 = totalSteps - 1;
        double[] momentum = new double[totalSteps + 1];
        double[] lr = new double[totalSteps + 1];
        for (int t = 0; t <= totalSteps; t++) {
            if (t <= end1) {
                double pct = t / end1;
                lr[t] = anneal(initialLr, maxLr, pct);
                momentum[t] = anneal(maxMomentum, baseMomentum, pct);
            } else {
                double pct = (t - end1) / (end2 - end1);
                lr[t] = anneal(maxLr, minLr, pct);
                momentum[t] = anneal(baseMomentum, maxMomentum, pct);
            }
        }
        OneCycleLr s = new OneCycleLr(optimizer, (base, t) -> lr[Math.min(t, totalSteps)], momentum);
        s.applyMomentum();
        return s;
    }

    /** Cosine interpolation from start (pct = 0) to end (pct = 1). */
    private static double anneal(double start, double end, double pct) {
        return end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1);
    }

    @Override
    public void step() {
        super.step();
        applyMomentum();
    }

    private void applyMomentum() {
        double m = momentumAt[Math.min(stepCount(), momentumAt.length - 1)];
        List<ParamGroup> groups = optimizer().groups();
        for (ParamGroup g : groups) {
            g.setMomentum(m);
        }
    }
}
