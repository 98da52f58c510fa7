package org.omomi.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.data.TensorDataset;
import org.omomi.io.Json;
import org.omomi.kernel.Parallel;
import org.omomi.nn.ModelSpec;
import org.omomi.nn.Module;
import org.omomi.optim.Sgd;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.train.Callback;
import org.omomi.train.Head;
import org.omomi.train.StepResult;
import org.omomi.train.TrainContext;
import org.omomi.train.Trainer;

/**
 * Workload B5 of BENCHMARKS-SPEC.md, shaped like the reference script {@code logreg_torch.py}:
 * logistic regression on 1,000,000 synthetic rows × 32 fp32 features (labels drawn from a known
 * model), SGD lr 0.1, batch 1024, a seeded shuffle, data in memory, through the shared
 * {@link Trainer}. Times each epoch's whole loop (the shuffle, the batch gathers and the steps, as
 * the script does) and prints one JSON line: median seconds per epoch, rows/s, training accuracy,
 * peak RSS.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks.jar org.omomi.bench.LogregBenchmark THREADS EPOCHS</pre>
 */
public final class LogregBenchmark {

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Parallel.setThreads(threads);
        int n = 1_000_000;
        int d = 32;
        Rng rng = new Rng(0);
        Tensor x = Tensor.randn(rng, n, d);
        Tensor wTrue = Tensor.randn(rng, d, 1);
        float[] z = x.matmul(wTrue).toArray();
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextDouble() < 1 / (1 + Math.exp(-z[i])) ? 1 : 0;
        }
        TensorDataset data = new TensorDataset(x, Tensor.wrap(y, n));
        Module model = ModelSpec.logisticRegression(d, 1).build(new Rng(1));
        List<Double> times = new ArrayList<>();
        Callback clock = new Callback() {
            long start;

            @Override
            public void onTrainStart(TrainContext c) {
                start = System.nanoTime();
            }

            @Override
            public void onStepEnd(TrainContext c, StepResult r) {
                if (c.lastBatchOfEpoch()) {
                    times.add((System.nanoTime() - start) / 1e9);
                }
            }

            @Override
            public void onEpochEnd(TrainContext c, org.omomi.train.EpochRecord record) {
                start = System.nanoTime();
            }
        };
        Trainer trainer = new Trainer(model, Head.binary(), Sgd.of(model.parameters(), 0.1), null,
                new Trainer.Options(epochs, 1024, true, 42, 0, 0, 0, false), null).addCallback(clock);
        trainer.fit(data, null);
        double accuracy;
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            model.eval();
            accuracy = model.call(x).reshape(n).gt(0f).eq(Tensor.wrap(y, n)).mean().item();
        }
        double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = sorted[sorted.length / 2];
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bench", "logreg");
        out.put("lib", "omomi");
        out.put("threads", (long) threads);
        out.put("epoch_s_median", median);
        out.put("epoch_s_min", sorted[0]);
        out.put("epoch_s_max", sorted[sorted.length - 1]);
        out.put("epoch_s", new ArrayList<Object>(times));
        out.put("rows_per_s", n / median);
        out.put("train_acc", accuracy);
        out.put("peak_rss_mib", MlpBenchmark.peakRssMib());
        out.put("java", System.getProperty("java.version"));
        System.out.println(Json.write(out));
    }

    private LogregBenchmark() {}
}
