package org.omomi.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.omomi.data.Dataset;
import org.omomi.data.FashionMnist;
import org.omomi.nn.ModelSpec;
import org.omomi.nn.Module;
import org.omomi.optim.Adam;
import org.omomi.testing.Requires;
import org.omomi.train.Head;
import org.omomi.train.Trainer;

/**
 * The must-show figure: the Fashion-MNIST MLP trained synchronously on two partitions reaches
 * the local trainer's test accuracy within one point after the same epochs (10,000 training
 * images to fit CI's time; the whole 10,000-image test set).
 */
class FashionMnistTest {

    @Test
    void twoPartitionsReachTheLocalAccuracyWithinOnePoint() throws IOException {
        Path dir = Requires.fashionMnist();
        Dataset train = FashionMnist.train(dir).range(0, 10_000);
        Dataset test = FashionMnist.test(dir);
        ModelSpec spec = ModelSpec.mlp(784, new int[] {128}, "relu", 10);
        Head head = Head.multiclass(10);
        Recipe recipe = Recipe.of(spec, 1, head, m -> new Adam(m.parameters(), Adam.Options.adam().withLr(1e-3)));
        Trainer.Options options = new Trainer.Options(4, 64, true, 1, 0, 0, 0, false);

        Module local = recipe.model();
        new Trainer(local, head, recipe.optimizer(local), null, options, null).fit(train, null);
        double localAccuracy = Trainer.evaluate(local, head, test).get("accuracy");

        Module spark = SyncTest.spark(recipe, train, 2, options, SparkSteps.Options.sync());
        double sparkAccuracy = Trainer.evaluate(spark, head, test).get("accuracy");

        System.out.printf("Fashion-MNIST MLP, 10k images, 4 epochs: local %.4f, Spark sync on 2 partitions %.4f%n", localAccuracy, sparkAccuracy);
        assertTrue(localAccuracy > 0.8, "the local MLP learned: " + localAccuracy);
        assertTrue(Math.abs(sparkAccuracy - localAccuracy) <= 0.01,
                "two partitions reached " + sparkAccuracy + ", the local trainer " + localAccuracy);
    }
}
