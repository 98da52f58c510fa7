package org.omomi.ctr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omomi.io.SavedModel;
import org.omomi.tensor.Tensor;
import org.omomi.train.Callback;
import org.omomi.train.Checkpoint;
import org.omomi.train.StepResult;
import org.omomi.train.TrainConfig;
import org.omomi.train.TrainContext;
import org.omomi.train.Trainer;

/**
 * A run interrupted in the middle of an epoch and resumed from its last checkpoint ends with the
 * same weights, bit for bit, as one that never stopped — with the log streamed in several shuffle
 * blocks, so the resumed epoch has to find its place in the file. And the saved run predicts as
 * the trained model did.
 */
class ResumeTest {

    @TempDir
    Path dir;

    private static final class Crash extends RuntimeException {
        Crash() {
            super("simulated crash");
        }
    }

    private CtrConfig config(Path log) {
        CtrConfig c = CtrConfig.defaults(ClickLog.of(log, LogFormat.CSV), ModelKind.DEEPFM);
        return c.withModel(new CtrConfig.Model(ModelKind.DEEPFM, 4, List.of(8), 0, CtrConfig.ARTICLE_START))
                .withLoop(new TrainConfig.Loop(3, 64, 5, true, false, 7, 0))
                .withShuffleBlock(256)
                .withPatience(0);
    }

    @Test
    void anInterruptedRunResumesToTheSameWeightsBitForBit() throws IOException {
        Path log = dir.resolve("log.csv");
        ClickGenerator.write(log, new ClickGenerator.Options(3000, 8, LogFormat.CSV, 1.2), Progress.NONE);
        CtrRun.Result whole = CtrRun.train(config(log), dir.resolve("whole"), Progress.NONE);

        Path broken = dir.resolve("broken");
        int batches = (int) Math.ceil(whole.metric("train_rows_kept") / 64);
        long crashAt = batches + batches / 2 + 3; // in the middle of the second epoch, past a checkpoint
        Callback crash = new Callback() {
            @Override
            public void onStepEnd(TrainContext c, StepResult r) {
                if (c.step() == crashAt) {
                    throw new Crash();
                }
            }
        };
        assertThrows(Crash.class, () -> CtrRun.run(config(log), broken, null, Progress.NONE, List.of(crash)));
        Checkpoint last = Checkpoint.load(Trainer.lastCheckpoint(broken));
        assertEquals(1, last.epoch(), "stopped in the second epoch");
        assertTrue(last.batch() > 0, "at a checkpoint inside it: batch " + last.batch());
        CtrRun.Result resumed = CtrRun.resume(broken, Progress.NONE);

        Map<String, Tensor> a = whole.model().stateDict();
        Map<String, Tensor> b = resumed.model().stateDict();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).toArray(), b.get(k).toArray(), k);
        }
        assertEquals(whole.metric("auc"), resumed.metric("auc"));
        assertEquals(whole.training().steps(), resumed.training().steps());

        // The saved run predicts as the trained model: the same logits through SavedModel and its predictor.
        SavedModel saved = SavedModel.open(dir.resolve("whole"));
        float[] trained = Trainer.predictAll(whole.model(), whole.heldOut().data())[0].toArray();
        float[] reopened = Trainer.predictAll(saved.build(), whole.heldOut().data())[0].toArray();
        assertArrayEquals(trained, reopened);
        float[] served = saved.predictor().predict(whole.heldOut().data().inputs()).probabilities().toArray();
        assertArrayEquals(ClickMetrics.probabilities(Tensor.of(trained, trained.length)), served, 1e-6f);
    }

    @Test
    void resumingAfterTheLogChangedIsRefused() throws IOException {
        Path log = dir.resolve("log.csv");
        ClickGenerator.write(log, new ClickGenerator.Options(1500, 9, LogFormat.CSV, 0), Progress.NONE);
        CtrRun.train(config(log).withLoop(new TrainConfig.Loop(1, 64, 5, true, false, 0, 0)), dir.resolve("run"), Progress.NONE);
        ClickGenerator.write(log, new ClickGenerator.Options(1500, 10, LogFormat.CSV, 0), Progress.NONE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CtrRun.resume(dir.resolve("run"), Progress.NONE));
        assertTrue(e.getMessage().contains("the log changed"), e.getMessage());
        assertTrue(Files.isRegularFile(dir.resolve("run").resolve("model.safetensors")), "the finished run is left as it was");
    }
}
