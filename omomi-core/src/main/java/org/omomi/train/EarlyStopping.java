package org.omomi.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.omomi.tensor.Tensor;

/**
 * Stops training when the monitored loss — validation loss after each epoch, or training loss
 * without a validation set, the same one {@link TrainContext#best()} tracks — has not improved by
 * more than {@code minDelta} for {@code patience} epochs, and, with {@code restoreBest}, puts the
 * weights of the best epoch back at the end (as Keras's {@code EarlyStopping(restore_best_weights)}).
 *
 * <p>A resumed run replays the epochs its run log holds (or, without one, starts from the
 * checkpoint's best loss and epochs since it), so it stops where an uninterrupted run would — at
 * once when the run had already stopped before it was killed; its best weights come from
 * {@code checkpoints/best.safetensors} when they are not in memory.
 */
public final class EarlyStopping implements Callback {

    private final int patience;
    private final double minDelta;
    private final boolean restoreBest;
    private double bestSeen = Double.POSITIVE_INFINITY;
    private long bestEpoch;
    private int waited;
    private Map<String, Tensor> bestWeights;
    private String reason;

    public EarlyStopping(int patience, double minDelta, boolean restoreBest) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be at least 1 epoch, got " + patience);
        }
        this.patience = patience;
        this.minDelta = minDelta;
        this.restoreBest = restoreBest;
    }

    @Override
    public void onTrainStart(TrainContext c) {
        if (c.resumedFrom() == null) {
            return;
        }
        bestSeen = c.resumedFrom().best();
        waited = c.resumedFrom().sinceBest();
        List<EpochRecord> done = new ArrayList<>();
        c.history().forEach(e -> {
            if (e instanceof EpochRecord r) {
                done.add(r);
            }
        });
        if (!done.isEmpty()) {
            // The run log holds every finished epoch: replaying it restores the best epoch and the
            // wait exactly, minDelta included, and a run killed after it had stopped stops again.
            bestSeen = Double.POSITIVE_INFINITY;
            waited = 0;
            for (EpochRecord r : done) {
                if (observe(c, r, false)) {
                    return;
                }
            }
        }
    }

    @Override
    public void onEpochEnd(TrainContext c, EpochRecord record) {
        observe(c, record, restoreBest);
    }

    /** Takes an epoch's monitored loss into account; true when training must stop. */
    private boolean observe(TrainContext c, EpochRecord record, boolean keepWeights) {
        double v = record.val().containsKey("loss") ? record.val().get("loss") : record.train().get("loss");
        if (v < bestSeen - minDelta) {
            bestSeen = v;
            bestEpoch = record.epoch();
            waited = 0;
            if (keepWeights) {
                bestWeights = copy(c);
            }
            return false;
        }
        if (++waited >= patience) {
            reason = String.format(Locale.ROOT, "%s loss did not improve by more than %s for %d epochs (best %.6g%s)",
                    record.val().containsKey("loss") ? "validation" : "training", minDelta, patience, bestSeen,
                    bestEpoch > 0 ? " after epoch " + bestEpoch : "");
            c.stop(reason);
            return true;
        }
        return false;
    }

    @Override
    public void onTrainEnd(TrainContext c) {
        if (!restoreBest) {
            return;
        }
        if (bestWeights == null && c.runDir() != null && Files.isRegularFile(Checkpointer.best(c.runDir()))) {
            try {
                bestWeights = Checkpoint.load(Checkpointer.best(c.runDir())).model();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (bestWeights != null) {
            c.model().loadStateDict(bestWeights);
        }
    }

    /** Why it stopped training, or null when it did not. */
    public String reason() {
        return reason;
    }

    private static Map<String, Tensor> copy(TrainContext c) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        c.model().stateDict().forEach((k, v) -> state.put(k, Tensor.of(v.toArray(), v.shape())));
        return state;
    }
}
