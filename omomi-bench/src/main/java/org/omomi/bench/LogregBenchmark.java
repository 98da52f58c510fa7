package org.omomi.bench;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import org.omomi.data.Batch;
import org.omomi.data.DataLoader;
import org.omomi.data.TensorDataset;
import org.omomi.io.Json;
import org.omomi.kernel.Gemm;
import org.omomi.kernel.Parallel;
import org.omomi.nn.Dense;
import org.omomi.optim.Sgd;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.train.Head;
import org.omomi.train.TrainStep;

/**
 * Workload B5 of BENCHMARKS-SPEC.md, shaped like the reference script {@code logreg_torch.py}:
 * logistic regression on 1,000,000 synthetic rows × 32 features (x ~ N(0, 1), labels drawn from
 * the sigmoid of a known linear model), one {@code Dense(32 → 1)}, binary cross-entropy with
 * logits, SGD lr 0.1, batch 1024, a seeded shuffle, five epochs through core's {@link TrainStep}.
 * Times each epoch's mini-batch loop (the gather included, the permutation drawn before, as the
 * reference does) and prints one JSON line: median, fastest and slowest epoch in seconds, rows/s
 * of the median epoch and the training accuracy after the last epoch.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks.jar org.omomi.bench.LogregBenchmark [THREADS [EPOCHS [ROWS]]]</pre>
 */
public final class LogregBenchmark {

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        int features = 32;
        Parallel.setThreads(threads);
        Rng rng = new Rng(0);
        Tensor x = Tensor.randn(rng, rows, features);
        Tensor wTrue = Tensor.randn(rng, features, 1);
        Tensor y;
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            Tensor p = x.matmul(wTrue).reshape(rows).sigmoid();
            y = Tensor.rand(rng, rows).lt(p); // 1 with probability p: bernoulli(sigmoid(x·w))
        }
        Dense model = new Dense(features, 1, rng);
        TrainStep step = new TrainStep(model, Head.binary(), Sgd.of(model.parameters(), 0.1), 0);
        DataLoader loader = new DataLoader(new TensorDataset(x, y), 1024, true, 42);
        double[] times = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            // The epoch's permutation is drawn before the clock starts, as the reference script
            // draws torch.randperm before its timer: both time the mini-batch loop alone.
            Iterator<Batch> it = loader.epoch(e, 0);
            long t0 = System.nanoTime();
            while (it.hasNext()) {
                step.run(it.next());
            }
            times[e] = (System.nanoTime() - t0) / 1e9;
        }
        double accuracy;
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            Tensor predicted = model.call(x).reshape(rows).gt(0f);
            accuracy = predicted.eq(y).sum().item() / rows;
        }
        double[] sorted = times.clone();
        java.util.Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        var out = new LinkedHashMap<String, Object>();
        out.put("bench", "logreg");
        out.put("lib", "omomi");
        out.put("threads", (long) threads);
        out.put("epoch_s_median", median);
        out.put("epoch_s_min", sorted[0]);
        out.put("epoch_s_max", sorted[sorted.length - 1]);
        out.put("rows_per_s", rows / median);
        out.put("train_acc", accuracy);
        out.put("epochs", (long) epochs);
        out.put("epoch_s", List.of(box(times)));
        out.put("peak_rss_mib", MlpBenchmark.peakRssMib());
        out.put("gemm", Gemm.backend().name());
        System.out.println(Json.write(out));
    }

    private static Object[] box(double[] v) {
        Object[] o = new Object[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = v[i];
        }
        return o;
    }

    private LogregBenchmark() {}
}
