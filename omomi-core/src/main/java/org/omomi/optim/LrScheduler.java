package org.omomi.optim;

import java.util.List;

/**
 * Changes the learning rate of every parameter group as training goes on. Call {@link #step()}
 * once per epoch (or per batch, for schedules measured in batches), after the optimizer's step,
 * as with {@code torch.optim.lr_scheduler}. Step t's rate is a function of each group's initial
 * rate, written in each factory's javadoc.
 */
public class LrScheduler {

    /** A learning rate as a function of the initial rate and the number of steps taken. */
    @FunctionalInterface
    public interface Rule {
        double lr(double baseLr, int step);
    }

    private final Optimizer optimizer;
    private final double[] baseLrs;
    private final Rule rule;
    private int step;

    protected LrScheduler(Optimizer optimizer, Rule rule) {
        this.optimizer = optimizer;
        List<ParamGroup> groups = optimizer.groups();
        this.baseLrs = new double[groups.size()];
        for (int i = 0; i < baseLrs.length; i++) {
            baseLrs[i] = groups.get(i).lr();
        }
        this.rule = rule;
        apply();
    }

    /** Advances one step and sets the new rates. */
    public void step() {
        step++;
        apply();
    }

    private void apply() {
        List<ParamGroup> groups = optimizer.groups();
        for (int i = 0; i < baseLrs.length; i++) {
            groups.get(i).setLr(rule.lr(baseLrs[i], step));
        }
    }

    /** Steps taken so far (the state to save with a checkpoint). */
    public int stepCount() {
        return step;
    }

    /** Jumps to a step, for resuming from a checkpoint. */
    public void setStepCount(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("step count must be ≥ 0, got " + steps);
        }
        step = steps;
        apply();
    }

    protected Optimizer optimizer() {
        return optimizer;
    }

    /** A custom rule. */
    public static LrScheduler of(Optimizer optimizer, Rule rule) {
        return new LrScheduler(optimizer, rule);
    }

    /** η·γ^⌊t / stepSize⌋; {@code StepLR(step_size, gamma)}. */
    public static LrScheduler stepDecay(Optimizer optimizer, int stepSize, double gamma) {
        if (stepSize < 1) {
            throw new IllegalArgumentException("step decay: step size must be ≥ 1, got " + stepSize);
        }
        return new LrScheduler(optimizer, (base, t) -> base * Math.pow(gamma, t / stepSize));
    }

    /** η·γᵗ; {@code ExponentialLR(gamma)}. */
    public static LrScheduler exponential(Optimizer optimizer, double gamma) {
        return new LrScheduler(optimizer, (base, t) -> base * Math.pow(gamma, t));
    }

    /**
     * Linear warm-up then cosine decay: η·(s + (1 − s)·t / W) for t &lt; W, rising from s·η to η;
     * then ηmin + (η − ηmin)·½(1 + cos(π·(t − W) / (T − W))) down to ηmin at t = T; ηmin after.
     */
    public static LrScheduler cosineWithWarmup(Optimizer optimizer, int warmupSteps, int totalSteps, double minLr, double startFactor) {
        if (warmupSteps < 0 || totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("cosine with warm-up: need 0 ≤ warm-up < total steps, got " + warmupSteps + " and " + totalSteps);
        }
        return new LrScheduler(optimizer, (base, t) -> {
            if (t < warmupSteps) {
                return base * (startFactor + (1 - startFactor) * t / warmupSteps);
            }
            if (t >= totalSteps) {
                return minLr;
            }
            double progress = (double) (t - warmupSteps) / (totalSteps - warmupSteps);
            return minLr + (base - minLr) * 0.5 * (1 + Math.cos(Math.PI * progress));
        });
    }
}
