package org.omomi.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import org.omomi.data.Batch;
import org.omomi.data.DataLoader;
import org.omomi.data.FashionMnist;
import org.omomi.data.TensorDataset;
import org.omomi.io.Json;
import org.omomi.kernel.Gemm;
import org.omomi.kernel.Parallel;
import org.omomi.nn.ModelSpec;
import org.omomi.nn.Module;
import org.omomi.optim.Adam;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Rng;
import org.omomi.train.Head;
import org.omomi.train.TrainStep;

/**
 * Workload B3 of BENCHMARKS-SPEC.md, shaped like {@code cnn_torch.py}: the built-in {@code cnn}
 * (conv 32, pool, conv 64, pool, dense 128, dense 10), Adam 1e-3, batch 128, each step through
 * core's {@link TrainStep}, one epoch of N
 * images (default 60,000); images/s of the training loop, also over the first 10,000 images,
 * test accuracy after the epoch, peak RSS. One JSON line.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks.jar org.omomi.bench.CnnBenchmark THREADS [N [MODEL]]</pre>
 * MODEL is cnn (the default), or resnetD / plainD for the built-in ResNet of depth D and its twin
 * (width {@link ModelSpec#RESNET_WIDTH}, or {@code -Dwidth=W}).
 */
public final class CnnBenchmark {

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int images = args.length > 1 ? Integer.parseInt(args[1]) : 60_000;
        String name = args.length > 2 ? args[2] : "cnn"; // or resnetD / plainD, e.g. resnet8
        Parallel.setThreads(threads);
        Path dir = Path.of(System.getenv().getOrDefault("FMNIST_DIR", FashionMnist.DEBIAN_DIR.toString()));
        TensorDataset train = FashionMnist.train(dir);
        TensorDataset test = FashionMnist.test(dir);
        int[] image = {1, 28, 28};
        ModelSpec spec = name.equals("cnn") ? ModelSpec.cnn(image, 10)
                : ModelSpec.resnet(Integer.parseInt(name.replaceAll("[^0-9]", "")), Integer.getInteger("width", ModelSpec.RESNET_WIDTH), image, 10,
                        name.startsWith("resnet"));
        Module model = spec.build(new Rng(0));
        Adam opt = new Adam(model.parameters(), Adam.Options.adam().withLr(1e-3));
        TrainStep step = new TrainStep(model, Head.multiclass(10), opt, 0);
        var it = new DataLoader(train.range(0, train.size()), 128, true, 42).epoch(0, 0);
        long t0 = System.nanoTime();
        long c0 = MlpBenchmark.processCpuNanos();
        int steps = 0;
        long c10k = 0;
        int steps10k = 0;
        double first10k = Double.NaN;
        int seen = 0;
        while (it.hasNext() && seen < images) {
            Batch b = it.next();
            step.run(b);
            seen += b.size();
            steps++;
            if (Double.isNaN(first10k) && seen >= 10_000) {
                first10k = seen / ((System.nanoTime() - t0) / 1e9);
                c10k = MlpBenchmark.processCpuNanos();
                steps10k = steps;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (MlpBenchmark.processCpuNanos() - c0) / 1e9;
        model.eval();
        double right = 0;
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            for (int j = 0; j < test.size(); j += 1000) {
                Batch b = test.range(j, j + 1000).all();
                right += model.forward(b.x()).argmax(1, false).eq(b.y()).sum().item();
            }
        }
        var out = new LinkedHashMap<String, Object>();
        out.put("bench", "cnn");
        out.put("lib", "omomi");
        out.put("model", name);
        out.put("threads", (long) threads);
        out.put("images", (long) seen);
        out.put("images_per_s", seen / seconds);
        out.put("images_per_s_first10k", first10k);
        out.put("epoch_s", seconds);
        out.put("test_acc", right / test.size());
        out.put("cpu_ms_per_step", 1000 * cpuSeconds / steps);
        if (steps > steps10k && steps10k > 0) { // after the JIT's warm-up
            out.put("cpu_ms_per_step_after_10k", (MlpBenchmark.processCpuNanos() - c10k) / 1e6 / (steps - steps10k));
        }
        out.put("peak_rss_mib", MlpBenchmark.peakRssMib());
        out.put("gemm", Gemm.backend().name());
        System.out.println(Json.write(out));
    }

    private CnnBenchmark() {}
}
