package org.omomi.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omomi.data.TensorDataset;
import org.omomi.nn.Module;
import org.omomi.train.Callback;
import org.omomi.train.Checkpoint;
import org.omomi.train.Checkpointer;
import org.omomi.train.Head;
import org.omomi.train.RunLogWriter;
import org.omomi.train.StepResult;
import org.omomi.train.TrainContext;
import org.omomi.train.Trainer;

/**
 * A task that fails is retried by Spark ({@code local[2,2]}: two attempts) and the run ends with
 * the weights of a run where nothing failed, bit for bit; a driver that stops resumes from the
 * checkpoint on the Hadoop path and ends the same way.
 */
class FaultToleranceTest {

    @AfterEach
    void clear() {
        FailureInjection.clear();
    }

    static final TensorDataset DATA = SyncTest.table(11, 240);

    static Module train(int partitions, SparkSteps.Options mode, Path runDir, String checkpoints, Checkpoint from, Callback extra)
            throws IOException {
        Recipe recipe = SyncTest.recipe(SyncTest.mlp());
        Trainer.Options options = new Trainer.Options(2, 20, true, SyncTest.SEED, 5, 0, 0, false);
        Columns.Partitioned rows = Columns.partitions(LocalSpark.context(), DATA, partitions);
        Module model = recipe.model();
        try (SparkSteps steps = SparkSteps.of(rows.rdd(), rows.encoder(), recipe, options, mode)) {
            Trainer t = new Trainer(model, (Head) recipe.objective(model), recipe.optimizer(model), null, options, runDir);
            if (checkpoints != null) {
                t.addCallback(new HadoopCheckpoints(checkpoints, LocalSpark.context().hadoopConfiguration(), options.checkpointEvery()));
            }
            if (extra != null) {
                t.addCallback(extra);
            }
            t.fit(steps, null, from);
        }
        return model;
    }

    @Test
    void aFailedTaskIsRetriedAndTheWeightsAreUnchanged() throws IOException {
        Module clean = train(2, SparkSteps.Options.sync(), null, null, null, null);
        FailureInjection.failOnce(1, 7);
        Module retried = train(2, SparkSteps.Options.sync(), null, null, null, null);
        assertEquals(1, FailureInjection.thrown(), "the injected failure was thrown");
        assertEquals(0f, SyncTest.maxDifference(clean.stateDict(), retried.stateDict()));
    }

    @Test
    void aFailedAveragingTaskIsRetriedToo() throws IOException {
        Module clean = train(2, SparkSteps.Options.averaging(3), null, null, null, null);
        FailureInjection.failOnce(0, 2);
        Module retried = train(2, SparkSteps.Options.averaging(3), null, null, null, null);
        assertEquals(1, FailureInjection.thrown());
        assertEquals(0f, SyncTest.maxDifference(clean.stateDict(), retried.stateDict()));
    }

    @Test
    void aStoppedDriverResumesFromTheHadoopPathBitForBit(@TempDir Path tmp) throws IOException {
        Module whole = train(2, SparkSteps.Options.sync(), tmp.resolve("whole"), null, null, null);
        String uri = tmp.resolve("hdfs-like").toUri().toString(); // file:/…, through Hadoop's FileSystem
        Path first = tmp.resolve("first");
        Callback crash = new Callback() {
            @Override
            public void onStepEnd(TrainContext c, StepResult r) {
                if (c.step() == 17) { // epoch 2, after the checkpoint of step 15
                    throw new IllegalStateException("the driver dies");
                }
            }
        };
        assertThrows(IllegalStateException.class, () -> train(2, SparkSteps.Options.sync(), first, uri, null, crash));
        assertTrue(Files.isRegularFile(tmp.resolve("hdfs-like").resolve("last.safetensors")));
        Path second = tmp.resolve("second"); // a new driver with an empty disk
        assertTrue(HadoopCheckpoints.restore(uri, LocalSpark.context().hadoopConfiguration(), second));
        Checkpoint from = Checkpoint.load(Checkpointer.last(second));
        assertEquals(15, from.step());
        Module resumed = train(2, SparkSteps.Options.sync(), second, uri, from, null);
        assertEquals(0f, SyncTest.maxDifference(whole.stateDict(), resumed.stateDict()));
        assertEquals(Files.readAllLines(RunLogWriter.file(tmp.resolve("whole"))), Files.readAllLines(RunLogWriter.file(second)));
    }
}
