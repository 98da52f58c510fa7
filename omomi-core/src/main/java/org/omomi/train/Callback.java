package org.omomi.train;

/**
 * Code the {@link Trainer} calls as training runs; every method has a default that does nothing.
 * The run-log file, checkpoints, early stopping, the divergence guard and the progress bar are
 * callbacks; so are an application's own probes and a dashboard's live feed.
 *
 * <p>Order, per epoch: {@link #onStepEnd} after every optimizer step; then, once the epoch's record
 * is built, {@link #annotate} of every callback in turn (each may return the record with more in
 * it), then {@link #onEpochEnd} of every callback with the final record. Callbacks run in the
 * order they were added; the trainer's own (guard, progress, run log, checkpoints) come first. A
 * callback stops training with {@link TrainContext#stop(String)}; an exception thrown from one
 * ends the run (the divergence guard does so on purpose).
 */
public interface Callback {

    /** Before the first step (of a fresh run or of a resumed one). */
    default void onTrainStart(TrainContext context) {}

    /** After each optimizer step. */
    default void onStepEnd(TrainContext context, StepResult step) {}

    /** Adds to the epoch's record before it is logged; returns it (changed or not). */
    default EpochRecord annotate(TrainContext context, EpochRecord record) {
        return record;
    }

    /** After each epoch, with its record as logged. */
    default void onEpochEnd(TrainContext context, EpochRecord record) {}

    /** After the last epoch, or when a callback stopped training. */
    default void onTrainEnd(TrainContext context) {}
}
