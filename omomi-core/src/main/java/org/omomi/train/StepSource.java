package org.omomi.train;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.omomi.data.Batch;
import org.omomi.data.BatchSource;

/**
 * The optimizer steps a {@link Trainer} repeats, epoch by epoch. Local training's steps are a
 * {@link BatchSource}'s batches, each run through the trainer's {@link TrainStep}
 * ({@link #of(BatchSource)}); a distributed trainer's step sums gradients over workers and
 * {@link TrainStep#apply applies} the sum, or averages the weights workers trained. Either way
 * the trainer's callbacks, run log and checkpoints are the same.
 *
 * <p>Epoch e's steps must be a function of e alone (and of the state the model and optimizer are
 * in), so that a run resumed at any step continues as one that never stopped.
 */
public interface StepSource {

    /** Steps in one epoch. */
    int steps();

    /**
     * The steps of epoch {@code epoch} (from 0), from step {@code first} of it on: each
     * {@code next()} trains one step with {@code step}'s model and optimizer and says what it gave.
     */
    Iterator<StepResult> epoch(int epoch, int first, TrainStep step);

    /** Each batch of {@code batches}, run through the trainer's step: local training. */
    static StepSource of(BatchSource batches) {
        return new StepSource() {
            @Override
            public int steps() {
                return batches.batches();
            }

            @Override
            public Iterator<StepResult> epoch(int epoch, int first, TrainStep step) {
                Iterator<Batch> it = batches.epoch(epoch, first);
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public StepResult next() {
                        if (!it.hasNext()) {
                            throw new NoSuchElementException();
                        }
                        return step.run(it.next());
                    }
                };
            }
        };
    }
}
