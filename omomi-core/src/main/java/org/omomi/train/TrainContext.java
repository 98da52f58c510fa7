package org.omomi.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.omomi.nn.Module;
import org.omomi.optim.LrScheduler;
import org.omomi.optim.Optimizer;

/**
 * Where a training run stands, as callbacks see it: the model and optimizer, the position (epoch,
 * batch, step), the running sums of the epoch in progress, the best monitored loss so far, the run
 * log in memory, and whether something asked to stop. Everything a checkpoint must hold for a
 * resumed run to continue exactly is here.
 */
public final class TrainContext {

    private final Module model;
    private final Optimizer optimizer;
    private final LrScheduler schedule;
    private final int epochs;
    private final int batchesPerEpoch;
    private final Path runDir;
    private final Checkpoint resumedFrom;
    final List<RunLog.Entry> history = new ArrayList<>();

    int epoch;       // the epoch in progress (from 0), or the one just ended in onEpochEnd
    int batch;       // batches completed in that epoch
    long step;       // optimizer steps in all
    double[] running = new double[3]; // the epoch in progress: loss·n, correct, n
    double best = Double.POSITIVE_INFINITY;
    int sinceBest;   // epochs since the monitored loss last improved
    boolean improved; // whether the epoch just ended improved it
    private String stopReason;

    TrainContext(Module model, Optimizer optimizer, LrScheduler schedule, int epochs, int batchesPerEpoch, Path runDir,
                 Checkpoint resumedFrom) {
        this.model = model;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.epochs = epochs;
        this.batchesPerEpoch = batchesPerEpoch;
        this.runDir = runDir;
        this.resumedFrom = resumedFrom;
    }

    public Module model() {
        return model;
    }

    /** The optimizer, or null for a full-batch fit ({@link ConvexRun}). */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The learning-rate schedule, or null. */
    public LrScheduler schedule() {
        return schedule;
    }

    /** Epochs the run is set to train. */
    public int epochs() {
        return epochs;
    }

    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** The run folder, or null when training writes no files. */
    public Path runDir() {
        return runDir;
    }

    /** The checkpoint this run resumed from, or null for a fresh run. */
    public Checkpoint resumedFrom() {
        return resumedFrom;
    }

    /** The epoch in progress, from 0 (in {@link Callback#onEpochEnd}: the epoch just ended). */
    public int epoch() {
        return epoch;
    }

    /** Batches completed in the current epoch. */
    public int batch() {
        return batch;
    }

    /** Whether the step just taken was the epoch's last. */
    public boolean lastBatchOfEpoch() {
        return batch == batchesPerEpoch;
    }

    /** Optimizer steps taken in all. */
    public long step() {
        return step;
    }

    /** The running mean data loss of the epoch in progress. */
    public double runningLoss() {
        return running[2] == 0 ? Double.NaN : running[0] / running[2];
    }

    /** The running sums of the epoch in progress: loss·n, correct predictions, n (a copy). */
    public double[] running() {
        return running.clone();
    }

    /** The learning rate of the first parameter group. */
    public double lr() {
        return optimizer == null ? Double.NaN : optimizer.groups().get(0).lr();
    }

    /** The best monitored loss so far: validation loss after each epoch, or training loss without a validation set. */
    public double best() {
        return best;
    }

    /** Epochs since the monitored loss last improved (0 when the epoch just ended improved it). */
    public int epochsSinceBest() {
        return sinceBest;
    }

    /** Whether the epoch just ended set a new best monitored loss. */
    public boolean improved() {
        return improved;
    }

    /** The run log so far, in memory: epoch records and step records in order. */
    public List<RunLog.Entry> history() {
        return java.util.Collections.unmodifiableList(history);
    }

    /** Asks the trainer to stop after the current epoch, saying why (the first reason given wins). */
    public void stop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
    }

    /** Why training was asked to stop, or null. */
    public String stopReason() {
        return stopReason;
    }
}
