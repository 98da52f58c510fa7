package org.omomi.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.omomi.data.Dataset;
import org.omomi.data.FashionMnist;
import org.omomi.kernel.Parallel;
import org.omomi.nn.ModelSpec;
import org.omomi.nn.Module;
import org.omomi.optim.Adam;
import org.omomi.train.Head;
import org.omomi.train.Trainer;

/**
 * The scaling benchmark (bench/spark.sh runs it): the Fashion-MNIST MLP 784-128-10, Adam, on the
 * first {@code rows} training images, for {@code epochs} epochs in global batches of
 * {@code batch}, trained locally (the plain {@link Trainer}) or on Spark with {@code master}
 * ({@code local[1]}, {@code local[2]}) in either mode; prints one JSON line with rows/s (the
 * trainer's: time inside steps), milliseconds per step and the test accuracy.
 *
 * <pre>SparkBenchmark local|sync|average MASTER PARTITIONS ROWS BATCH EPOCHS [LOCAL_STEPS]</pre>
 */
public final class SparkBenchmark {

    private SparkBenchmark() {}

    public static void main(String[] args) throws IOException {
        String mode = args[0];
        String master = args[1];
        int partitions = Integer.parseInt(args[2]);
        int rows = Integer.parseInt(args[3]);
        int batch = Integer.parseInt(args[4]);
        int epochs = Integer.parseInt(args[5]);
        int localSteps = args.length > 6 ? Integer.parseInt(args[6]) : 8;
        String env = System.getenv("FMNIST_DIR");
        Path dir = env == null || env.isBlank() ? FashionMnist.DEBIAN_DIR : Path.of(env);
        Dataset train = FashionMnist.train(dir).range(0, rows);
        Dataset test = FashionMnist.test(dir);
        Head head = Head.multiclass(10);
        Recipe recipe = Recipe.of(ModelSpec.mlp(784, new int[] {128}, "relu", 10), 1, head,
                m -> new Adam(m.parameters(), Adam.Options.adam().withLr(1e-3)));
        Trainer.Options options = new Trainer.Options(epochs, batch, true, 1, 0, 0, 0, false);
        Module model = recipe.model();
        Trainer trainer = new Trainer(model, head, recipe.optimizer(model), null, options, null);
        Trainer.Result r;
        long[] bytes = {0, 0};
        if (mode.equals("local")) {
            r = trainer.fit(train, null);
        } else {
            SparkConf conf = new SparkConf().setMaster(master).setAppName("omomi-spark-bench")
                    .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
            try (JavaSparkContext sc = new JavaSparkContext(conf)) {
                sc.setLogLevel("ERROR");
                SparkSteps.Options o = mode.equals("sync") ? SparkSteps.Options.sync() : SparkSteps.Options.averaging(localSteps);
                Columns.Partitioned p = Columns.partitions(sc, train, partitions);
                try (SparkSteps steps = SparkSteps.of(p.rdd(), p.encoder(), recipe, options, o)) {
                    r = trainer.fit(steps, null, null);
                    bytes = steps.bytes();
                }
            }
        }
        double accuracy = Trainer.evaluate(model, head, test).get("accuracy");
        double msPerStep = rows * (double) epochs / r.samplesPerSecond() / r.steps() * 1e3;
        System.out.printf(Locale.ROOT,
                "{\"mode\":\"%s\",\"master\":\"%s\",\"partitions\":%d,\"rows\":%d,\"batch\":%d,\"epochs\":%d,\"local_steps\":%d,"
                        + "\"steps\":%d,\"rows_per_s\":%.1f,\"ms_per_step\":%.2f,\"test_accuracy\":%.4f,\"omomi_threads\":%d,"
                        + "\"bytes_broadcast\":%d,\"bytes_aggregated\":%d}%n",
                mode, mode.equals("local") ? "-" : master, mode.equals("local") ? 0 : partitions, rows, batch, epochs,
                mode.equals("average") ? localSteps : 1, r.steps(), r.samplesPerSecond(), msPerStep, accuracy, Parallel.threads(),
                bytes[0], bytes[1]);
    }
}
