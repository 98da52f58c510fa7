package org.omomi.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.omomi.data.TensorDataset;
import org.omomi.nn.Module;
import org.omomi.tensor.Tensor;
import org.omomi.train.Head;
import org.omomi.train.Trainer;

/** Parameter averaging (local SGD): K local steps per partition, then weights and optimizer state averaged. */
class AveragingTest {

    @Test
    void onePartitionIsLocalTrainingBitForBit() throws IOException {
        TensorDataset data = SyncTest.table(3, 300);
        Trainer.Options options = new Trainer.Options(3, 32, true, SyncTest.SEED, 0, 0, 0, false);
        Map<String, Tensor> local = SyncTest.local(SyncTest.recipe(SyncTest.mlp()), data, options);
        Module spark = SyncTest.spark(SyncTest.recipe(SyncTest.mlp()), data, 1, options, SparkSteps.Options.averaging(4));
        // ten global batches an epoch in rounds of four local steps: the rounds' averages of one
        // partition are that partition's weights and Adam moments, unchanged
        assertEquals(0f, SyncTest.maxDifference(local, spark.stateDict()));
    }

    @Test
    void twoPartitionsLearnAsWellAsLocalTraining() throws IOException {
        TensorDataset train = SyncTest.table(3, 600);
        TensorDataset test = SyncTest.table(4, 600);
        Trainer.Options options = new Trainer.Options(4, 32, true, SyncTest.SEED, 0, 0, 0, false);
        Module local = SyncTest.recipe(SyncTest.mlp()).model();
        Head head = Head.multiclass(3);
        new Trainer(local, head, SyncTest.recipe(SyncTest.mlp()).optimizer(local), null, options, null).fit(train, null);
        Module averaged = SyncTest.spark(SyncTest.recipe(SyncTest.mlp()), train, 2, options, SparkSteps.Options.averaging(4));
        double a = Trainer.evaluate(local, head, test).get("accuracy");
        double b = Trainer.evaluate(averaged, head, test).get("accuracy");
        double untrained = Trainer.evaluate(SyncTest.recipe(SyncTest.mlp()).model(), head, test).get("accuracy");
        assertTrue(a > untrained + 0.2, "local training learned: " + untrained + " → " + a);
        assertTrue(b > a - 0.03, "averaging reached " + b + ", local " + a);
    }
}
