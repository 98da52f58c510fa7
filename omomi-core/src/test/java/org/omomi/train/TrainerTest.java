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

    /**
     * Raises the learning rate to {@code lr} once {@code steps} optimizer steps have been taken (a
     * run that diverges later), and keeps a copy of the weights after every step, to compare the
     * checkpoint left behind with.
     */
    private static final class ExplodeAfter implements Callback {
        final long steps;
        final double lr;
        final Map<Long, Map<String, float[]>> weightsAt = new java.util.HashMap<>();

        ExplodeAfter(long steps, double lr) {
            this.steps = steps;
            this.lr = lr;
        }

        @Override
        public void onStepEnd(TrainContext c, StepResult r) {
            Map<String, float[]> w = new java.util.LinkedHashMap<>();
            c.model().stateDict().forEach((k, v) -> w.put(k, v.toArray()));
            weightsAt.put(c.step(), w);
            if (c.step() == steps) {
                c.optimizer().groups().forEach(g -> g.setLr(lr));
            }
        }
    }

    /**
     * 13 batches an epoch. A rate beyond float range (1e300, infinite as the float the update uses) turns the weights infinite in the very next update, so
     * the guard stops at step {@code explodeAt + 1} naming the first parameter; a huge finite one
     * makes the weights huge first and the loss infinite a step or two later. The run diverges in
     * the first epoch (after the checkpoint at step 8) or in the third (after epoch 2's checkpoint,
     * or the step-28 one), and the checkpoint on disk is the last good one: bit for bit the weights
     * the run had at that step.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "lr → {2} after step {0}, checkpoint every {1} steps: kept step {3}")
    @org.junit.jupiter.params.provider.CsvSource({
        "9, 4, 1e300, 8", "30, 0, 1e300, 26", "30, 4, 1e300, 28", "9, 4, 1e30, 8", "30, 0, 1e30, 26"})
    void divergenceStopsWithTheStepAndParameterNamedAndKeepsTheLastGoodCheckpoint(long explodeAt, int checkpointEvery, double lr,
                                                                                 long keptStep) throws IOException {
        Sequential m = model(4);
        Path run = dir.resolve("nan" + explodeAt + "-" + checkpointEvery + "-" + lr);
        Sgd opt = new Sgd(m.parameters(), Sgd.Options.lr(0.05));
        ExplodeAfter explode = new ExplodeAfter(explodeAt, lr);
        Trainer t = new Trainer(m, Head.multiclass(3), opt, null, new Trainer.Options(50, 16, true, 1, checkpointEvery, 0, 0, false), run)
                .addCallback(explode);
        Diverged e = assertThrows(Diverged.class, () -> t.fit(blobs(1, 200), null));
        java.util.regex.Matcher where = java.util.regex.Pattern.compile("step (\\d+) \\(epoch (\\d+), batch (\\d+)\\): (.*)").matcher(e.getMessage());
        assertTrue(where.matches(), e.getMessage());
        long stoppedAt = Long.parseLong(where.group(1));
        assertEquals((stoppedAt - 1) / 13 + 1, Long.parseLong(where.group(2)), "the epoch named: " + e.getMessage());
        assertEquals((stoppedAt - 1) % 13 + 1, Long.parseLong(where.group(3)), "the batch named: " + e.getMessage());
        if ((float) lr == Float.POSITIVE_INFINITY) {
            assertEquals(explodeAt + 1, stoppedAt, "an infinite rate breaks the weights in the next update: " + e.getMessage());
            String first = null;
            for (Map.Entry<String, Tensor> p : m.namedParameters().entrySet()) {
                for (float f : p.getValue().toArray()) {
                    if (first == null && !Float.isFinite(f)) {
                        first = p.getKey();
                    }
                }
            }
            assertTrue(where.group(4).startsWith("parameter '" + first + "' became "), "names the first non-finite parameter, "
                    + first + ": " + e.getMessage());
        } else {
            assertTrue(stoppedAt > explodeAt + 1 && stoppedAt <= explodeAt + 3, e.getMessage());
            assertTrue(where.group(4).matches("(the loss is \\S+|the loss is \\S+ and parameter '.*' became \\S+ in the update|"
                    + "parameter '.*' became \\S+ in the update); .*"), e.getMessage());
        }
        assertTrue(e.getMessage().endsWith("; the last good checkpoint is kept: " + Trainer.lastCheckpoint(run)), e.getMessage());

        Checkpoint c = Checkpoint.load(Trainer.lastCheckpoint(run)); // written before the divergence, so it must be there
        assertEquals(keptStep, c.step(), "the last good checkpoint's step");
        assertEquals(keptStep / 13, c.epoch(), "the last good checkpoint's epoch");
        assertEquals(keptStep % 13, c.batch(), "the last good checkpoint's batch");
        Map<String, float[]> then = explode.weightsAt.get(keptStep);
        assertEquals(then.keySet(), c.model().keySet());
        for (Map.Entry<String, float[]> w : then.entrySet()) {
            assertArrayEquals(w.getValue(), c.model().get(w.getKey()).toArray(), "the kept " + w.getKey() + " is the step's own");
            for (float f : w.getValue()) {
                assertTrue(Float.isFinite(f), "the kept checkpoint holds only finite weights");
            }
        }
        Sequential again = model(8);
        again.loadStateDict(c.model()); // loadable into a fresh model, and training resumes from it
        Sgd fresh = new Sgd(again.parameters(), Sgd.Options.lr(0.05));
        Trainer.Result more = new Trainer(again, Head.multiclass(3), fresh, null,
                new Trainer.Options((int) c.epoch() + 1, 16, true, 1, checkpointEvery, 0, 0, false), run).resume(blobs(1, 200), null, c);
        assertEquals(13L * (c.epoch() + 1), more.steps(), "resumed from the kept checkpoint to the end of its epoch");
        assertTrue(Double.isFinite(more.train().get("loss")), more.train().toString());
        for (String line : Files.readAllLines(run.resolve("history.jsonl"))) {
            assertTrue(!line.contains("NaN") && !line.contains("Infinity"), "standard JSON: " + line);
            RunLog.parse(line);
        }
    }

    /**
     * A run killed after early stopping ended it but before its caller wrote the model resumes to
     * the same end: the replayed run log says it had stopped, so no epoch runs again.
     */
    @Test
    void aRunThatHadStoppedEarlyStaysStoppedWhenResumed() throws IOException {
        Path run = dir.resolve("stopped");
        Sequential m = model(6);
        Trainer.Result first = new Trainer(m, Head.multiclass(3), new Sgd(m.parameters(), Sgd.Options.lr(0)), null,
                new Trainer.Options(20, 16, true, 1, 0, 0, 0, false), run).addCallback(new EarlyStopping(3, 0, true))
                .fit(blobs(1, 100), blobs(2, 30));
        assertEquals(4, first.epochs());
        String log = Files.readString(run.resolve("history.jsonl"));
        Sequential again = model(7);
        Trainer.Result resumed = new Trainer(again, Head.multiclass(3), new Sgd(again.parameters(), Sgd.Options.lr(0)), null,
                new Trainer.Options(20, 16, true, 1, 0, 0, 0, false), run).addCallback(new EarlyStopping(3, 0, true))
                .resume(blobs(1, 100), blobs(2, 30), Checkpoint.load(Trainer.lastCheckpoint(run)));
        assertEquals(first.epochs(), resumed.epochs());
        assertEquals(first.steps(), resumed.steps());
        assertEquals(first.stopReason(), resumed.stopReason());
        assertEquals(log, Files.readString(run.resolve("history.jsonl")), "no epoch ran again");
        for (String k : m.stateDict().keySet()) {
            assertArrayEquals(m.stateDict().get(k).toArray(), again.stateDict().get(k).toArray(), "the best epoch's " + k);
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
