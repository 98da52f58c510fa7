package org.omomi.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.omomi.tensor.Tensor;

/**
 * Writes {@code checkpoints/last.safetensors} after every epoch and every {@code every} steps (0:
 * epochs only), and {@code checkpoints/best.safetensors} when the monitored loss improves; each
 * atomically, after bringing the run log up to date, so a crash at any moment leaves a checkpoint
 * and a run log that agree.
 */
public final class Checkpointer implements Callback {

    private final Path runDir;
    private final RunLogWriter log;
    private final int every;

    public Checkpointer(Path runDir, RunLogWriter log, int every) {
        if (every < 0) {
            throw new IllegalArgumentException("checkpoint interval must be ≥ 0 steps, got " + every);
        }
        this.runDir = runDir;
        this.log = log;
        this.every = every;
    }

    /** The last checkpoint of a run folder, to resume from. */
    public static Path last(Path runDir) {
        return runDir.resolve("checkpoints").resolve("last.safetensors");
    }

    /** The checkpoint of the epoch with the best monitored loss. */
    public static Path best(Path runDir) {
        return runDir.resolve("checkpoints").resolve("best.safetensors");
    }

    @Override
    public void onStepEnd(TrainContext c, StepResult r) {
        if (every > 0 && c.step() % every == 0 && !c.lastBatchOfEpoch()) {
            save(c, c.epoch(), c.batch(), c.running(), last(runDir));
        }
    }

    @Override
    public void onEpochEnd(TrainContext c, EpochRecord record) {
        Checkpoint k = snapshot(c, c.epoch() + 1, 0, new double[3], log.flush(c));
        try {
            // best first: once last.safetensors says the epoch is done, best.safetensors matches it
            // (killed between the two, the run resumes before this epoch and writes both again).
            if (c.improved()) {
                k.save(best(runDir));
            }
            k.save(last(runDir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void save(TrainContext c, int epoch, int batch, double[] running, Path file) {
        try {
            snapshot(c, epoch, batch, running, log.flush(c)).save(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Checkpoint snapshot(TrainContext c, int epoch, int batch, double[] running, int historyLines) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        c.model().stateDict().forEach((k, v) -> state.put(k, Tensor.of(v.toArray(), v.shape())));
        return new Checkpoint(state, c.optimizer().stateDict(), c.model().randomState(), epoch, batch, c.step(),
                c.schedule() == null ? 0 : c.schedule().stepCount(), running, historyLines, c.best(), c.epochsSinceBest());
    }
}
