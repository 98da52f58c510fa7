package org.omomi.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omomi.ctr.ClickGenerator;
import org.omomi.ctr.ClickLog;
import org.omomi.ctr.CtrConfig;
import org.omomi.ctr.CtrRun;
import org.omomi.ctr.LogFormat;
import org.omomi.ctr.ModelKind;
import org.omomi.ctr.Progress;
import org.omomi.io.SavedModel;
import org.omomi.train.TrainConfig;

/**
 * The must-show figure for click models: logistic regression over hashed Criteo fields (a
 * row-sparse lookup table, SGD) trained on a generated Criteo-layout log by Spark, two
 * partitions, synchronous, reaches the local run's held-out AUC within 0.005. (A convex model on
 * purpose: the factorization machine overfits 40,000 rows after its first epoch, and two
 * overfitting runs differ by more than the bound whoever trains them.) And the run folder is an
 * ordinary click run folder (saved model, ctr.json, metrics.json, history.jsonl).
 */
class ClickTest {

    static CtrConfig config(Path log) {
        CtrConfig c = CtrConfig.defaults(ClickLog.of(log, LogFormat.CRITEO), ModelKind.LR);
        c = c.withFeatures(c.features().withHashBuckets(1 << 12)).withPatience(0);
        TrainConfig.Loop l = c.loop();
        return c.withLoop(new TrainConfig.Loop(3, 256, l.seed(), true, false, 0, 0));
    }

    @Test
    void theClusterReachesTheLocalAucWithinHalfAPoint(@TempDir Path tmp) throws IOException {
        Path log = tmp.resolve("clicks.tsv");
        ClickGenerator.write(log, new ClickGenerator.Options(40_000, 3, LogFormat.CRITEO, 1.0), Progress.NONE);
        CtrRun.Result local = CtrRun.train(config(log), tmp.resolve("local"), Progress.NONE);
        CtrRun.Result spark = CtrRun.train(config(log), tmp.resolve("spark"), Progress.NONE,
                ClickPartitions.steps(LocalSpark.context(), log.toUri().toString(), 2, SparkSteps.Options.sync()), List.of());
        double a = local.metric("auc");
        double b = spark.metric("auc");
        System.out.printf("click LR, 40k generated Criteo rows (2^12 buckets), 3 epochs: local AUC %.4f, Spark sync on 2 partitions %.4f%n", a, b);
        assertTrue(a > 0.6, "the local model learned: AUC " + a);
        assertTrue(Math.abs(a - b) <= 0.005, "Spark's AUC " + b + ", local " + a);
        assertEquals(local.training().steps(), spark.training().steps(), "the same number of steps");
        for (String f : List.of("ctr.json", "metrics.json", "history.jsonl", "model.json", "model.safetensors", "preprocessing.json")) {
            assertTrue(Files.isRegularFile(tmp.resolve("spark").resolve(f)), f);
        }
        // the saved model predicts the held-out rows as the trained one did
        float[] saved = org.omomi.ctr.ClickMetrics.probabilities(org.omomi.train.Trainer.predictAll(
                SavedModel.open(tmp.resolve("spark")).build(), spark.heldOut().data())[0]);
        float[] trained = org.omomi.ctr.ClickMetrics.probabilities(org.omomi.train.Trainer.predictAll(spark.model(), spark.heldOut().data())[0]);
        org.junit.jupiter.api.Assertions.assertArrayEquals(trained, saved);
    }
}
