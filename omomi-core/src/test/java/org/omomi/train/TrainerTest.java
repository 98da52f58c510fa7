package org.omomi.train;

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
import org.omomi.data.Batch;
import org.omomi.data.Dataset;
import org.omomi.data.TensorDataset;
import org.omomi.io.Json;
import org.omomi.nn.Activation;
import org.omomi.nn.Dense;
import org.omomi.nn.Dropout;
import org.omomi.nn.Sequential;
import org.omomi.optim.Adam;
import org.omomi.optim.LrScheduler;
import org.omomi.optim.Sgd;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

class TrainerTest {

    @TempDir
    Path dir;

    /** Three Gaussian blobs in 4-D. */
    static TensorDataset blobs(long seed, int n) {
        Rng rng = new Rng(seed);
        float[] y = new float[n];
        Tensor centers = Tensor.of(new float[][] {{2, 0, 0, 1}, {-2, 1, 0, 0}, {0, -2, 2, 0}});
        float[] x = Tensor.randn(rng, n, 4).toArray();
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(3);
            y[i] = c;
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] += centers.get(c, j);
            }
        }
        return new TensorDataset(Tensor.wrap(x, n, 4), Tensor.wrap(y, n));
    }

    private static Sequential model(long seed) {
        Rng rng = new Rng(seed);
        return new Sequential(new Dense(4, 16, rng), Activation.relu(), new Dropout(0.2f, rng), new Dense(16, 3, rng));
    }

    private Trainer trainer(Sequential m, Path run, int checkpointEvery) {
        Adam opt = new Adam(m.parameters(), Adam.Options.adam().withLr(0.01));
        return new Trainer(m, Head.multiclass(3), opt, LrScheduler.stepDecay(opt, 2, 0.5),
                new Trainer.Options(5, 16, true, 11, checkpointEvery, 0, 0, false), run);
    }

    /** A dataset that fails after a number of reads, like a process killed mid-epoch. */
    private static Dataset crashingAfter(Dataset d, int reads) {
        int[] left = {reads};
        return new Dataset() {
            @Override
            public int size() {
                return d.size();
            }

            @Override
            public Batch get(int[] indices) {
                if (left[0]-- <= 0) {
                    throw new IllegalStateException("simulated crash");
                }
                return d.get(indices);
            }
        };
    }

    @Test
    void resumingMidEpochEndsWithTheSameWeightsAsAnUninterruptedRun() throws IOException {
        TensorDataset train = blobs(1, 200);
        TensorDataset val = blobs(2, 60);
        Sequential straight = model(5);
        Trainer.Result full = trainer(straight, dir.resolve("a"), 0).fit(train, val);

        Path run = dir.resolve("b");
        Sequential first = model(5);
        assertThrows(IllegalStateException.class, () -> trainer(first, run, 4).fit(crashingAfter(train, 37), val));
        Checkpoint saved = Checkpoint.load(Trainer.lastCheckpoint(run));
        assertEquals(2, saved.epoch()); // 13 batches an epoch: the crash at read 38 is in epoch 3
        assertTrue(saved.batch() > 0, "the checkpoint is mid-epoch");

        Sequential resumed = model(99); // different starting weights: the checkpoint must overwrite them
        Trainer.Result rest = trainer(resumed, run, 4).resume(train, val, saved);
        for (String k : straight.stateDict().keySet()) {
            assertArrayEquals(straight.stateDict().get(k).toArray(), resumed.stateDict().get(k).toArray(), k);
        }
        assertEquals(full.steps(), rest.steps());
        assertEquals(full.history().size(), rest.history().size());
        assertEquals(full.history().get(4).val(), rest.history().get(4).val());
        assertEquals(Files.readString(dir.resolve("a/history.jsonl")), Files.readString(run.resolve("history.jsonl")));
    }

    @Test
    void runLogRecordsMetricsAndParameterStatistics() throws IOException {
        Sequential m = model(3);
        m.get(0).penalize(org.omomi.nn.Penalty.l2(1e-3f));
        Trainer.Result r = trainer(m, dir.resolve("log"), 0).fit(blobs(1, 200), blobs(2, 60));
        assertTrue(r.val().get("accuracy") > 0.9, "blobs are separable: " + r.val());
        List<String> lines = Files.readAllLines(dir.resolve("log/history.jsonl"));
        assertEquals(5, lines.size());
        @SuppressWarnings("unchecked")
        Map<String, Object> last = (Map<String, Object>) Json.parse(lines.get(4));
        assertEquals("omomi.runlog/1", last.get("format"));
        assertEquals(5.0, last.get("epoch"));
        assertEquals(0.01 * 0.25, (Double) last.get("lr"), 1e-12, "step decay halved the rate twice");
        @SuppressWarnings("unchecked")
        Map<String, Object> w = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) last.get("params")).get("0.weight"));
        assertTrue(w.containsKey("weight") && w.containsKey("grad") && w.containsKey("update_ratio"), w.keySet().toString());
        assertTrue(((Map<?, ?>) last.get("penalties")).containsKey("l2(0.weight)"));
        assertTrue(Files.exists(dir.resolve("log/checkpoints/best.safetensors")));
    }

    /** Raises the learning rate to {@code lr} once {@code steps} optimizer steps have been taken: a run that diverges later. */
    private static Callback explodeAfter(long steps, double lr) {
        return new Callback() {
            @Override
            public void onStepEnd(TrainContext c, StepResult r) {
                if (c.step() == steps) {
                    c.optimizer().groups().forEach(g -> g.setLr(lr));
                }
            }
        };
    }

    /** 13 batches an epoch; diverging after step 30 (epoch 3) with epoch checkpoints, or after step 9 (epoch 1) with one every 4 steps. */
    @org.junit.jupiter.params.ParameterizedTest(name = "diverge after step {0}, checkpoint every {1} steps")
    @org.junit.jupiter.params.provider.CsvSource({"30, 0, 2, 0", "9, 4, 0, 8"})
    void divergenceStopsWithAMessageAndKeepsTheLastGoodCheckpoint(long explodeAt, int checkpointEvery, int keptEpoch, long keptStep)
            throws IOException {
        Sequential m = model(4);
        Path run = dir.resolve("nan" + explodeAt);
        Sgd opt = new Sgd(m.parameters(), Sgd.Options.lr(0.05));
        Trainer t = new Trainer(m, Head.multiclass(3), opt, null, new Trainer.Options(50, 16, true, 1, checkpointEvery, 0, 0, false), run)
                .addCallback(explodeAfter(explodeAt, 1e30));
        Diverged e = assertThrows(Diverged.class, () -> t.fit(blobs(1, 200), null));
        assertTrue(e.getMessage().matches("step \\d+ \\(epoch \\d+, batch \\d+\\): .*(loss is|parameter ').*"), e.getMessage());
        Checkpoint c = Checkpoint.load(Trainer.lastCheckpoint(run)); // must exist: it was written before the divergence
        assertEquals(keptEpoch, c.epoch(), "the last good checkpoint's epoch");
        assertEquals(keptStep == 0 ? 13L * keptEpoch : keptStep, c.step(), "the last good checkpoint's step");
        for (Tensor v : c.model().values()) {
            for (float f : v.toArray()) {
                assertTrue(Float.isFinite(f), "the kept checkpoint holds only finite weights");
            }
        }
        Sequential again = model(8);
        again.loadStateDict(c.model()); // loadable into a fresh model
        for (String line : Files.readAllLines(run.resolve("history.jsonl"))) {
            assertTrue(!line.contains("NaN") && !line.contains("Infinity"), "standard JSON: " + line);
            RunLog.parse(line);
        }
    }

    @Test
    void earlyStoppingStopsWhenTheMonitoredValueStalls() throws IOException {
        Sequential m = model(6);
        Sgd opt = new Sgd(m.parameters(), Sgd.Options.lr(0)); // nothing changes: val loss never improves
        Trainer t = new Trainer(m, Head.multiclass(3), opt, null, new Trainer.Options(20, 16, true, 1, 0, 0, 0, false), null)
                .addCallback(new EarlyStopping(3, 0, false));
        Trainer.Result r = t.fit(blobs(1, 100), blobs(2, 30));
        assertEquals(4, r.epochs());
        assertTrue(r.stopReason().startsWith("validation loss did not improve"), r.stopReason());
    }
}
