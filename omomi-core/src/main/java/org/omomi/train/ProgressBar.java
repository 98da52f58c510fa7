package org.omomi.train;

import java.io.PrintStream;

/** The one-line progress bar of a run: epoch, batch and running loss, redrawn in place on a terminal only. */
public final class ProgressBar implements Callback {

    private final Progress bar;

    /** A bar on {@code out} when the process has a terminal; nothing otherwise, so logs and pipes stay clean. */
    public ProgressBar(PrintStream out) {
        this.bar = Progress.onTerminal(out);
    }

    @Override
    public void onStepEnd(TrainContext c, StepResult r) {
        bar.update(c.epoch() + 1, c.epochs(), c.batch(), c.batchesPerEpoch(), c.runningLoss());
    }

    @Override
    public void onEpochEnd(TrainContext c, EpochRecord record) {
        bar.done();
    }

    @Override
    public void onTrainEnd(TrainContext c) {
        bar.done();
    }
}
