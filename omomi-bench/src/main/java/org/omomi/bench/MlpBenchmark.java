package org.omomi.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.omomi.data.DataLoader;
import org.omomi.data.FashionMnist;
import org.omomi.data.TensorDataset;
import org.omomi.io.Json;
import org.omomi.kernel.Gemm;
import org.omomi.kernel.Parallel;
import org.omomi.nn.Activation;
import org.omomi.nn.Dense;
import org.omomi.nn.Sequential;
import org.omomi.optim.Adam;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.train.Head;
import org.omomi.train.TrainStep;

/**
 * Workload B2 of BENCHMARKS-SPEC.md, shaped like the reference script {@code mlp_torch.py}: MLP
 * 784-512-256-10 with ReLU, softmax cross-entropy, Adam 1e-3, batch 128, a seeded shuffle, data
 * in memory, each step through core's {@link TrainStep} (what {@code omomi train} runs). Times
 * the training loop of each epoch only, and prints one JSON line: median
 * samples/s, test accuracy after the first and last epoch, peak RSS.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks.jar org.omomi.bench.MlpBenchmark THREADS EPOCHS</pre>
 */
public final class MlpBenchmark {

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Parallel.setThreads(threads);
        Path dir = Path.of(System.getenv().getOrDefault("FMNIST_DIR", FashionMnist.DEBIAN_DIR.toString()));
        TensorDataset train = FashionMnist.train(dir);
        TensorDataset test = FashionMnist.test(dir);
        Rng rng = new Rng(0);
        Sequential model = new Sequential(new Dense(784, 512, rng), Activation.relu(), new Dense(512, 256, rng),
                Activation.relu(), new Dense(256, 10, rng));
        Adam opt = new Adam(model.parameters(), Adam.Options.adam().withLr(1e-3));
        TrainStep step = new TrainStep(model, Head.multiclass(10), opt, 0);
        DataLoader loader = new DataLoader(train, 128, true, 42);
        List<Double> times = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        double firstAccuracy = 0;
        double lastAccuracy = 0;
        for (int e = 0; e < epochs; e++) {
            long t0 = System.nanoTime();
            long c0 = processCpuNanos();
            var it = loader.epoch(e, 0);
            while (it.hasNext()) {
                step.run(it.next());
            }
            times.add((System.nanoTime() - t0) / 1e9);
            cpu.add((processCpuNanos() - c0) / 1e9);
            double acc = accuracy(model, test);
            if (e == 0) {
                firstAccuracy = acc;
            }
            lastAccuracy = acc;
        }
        double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = sorted[sorted.length / 2];
        var out = new java.util.LinkedHashMap<String, Object>();
        out.put("bench", "mlp");
        out.put("lib", "omomi");
        out.put("threads", (long) threads);
        out.put("samples_per_s", train.size() / median);
        out.put("epoch_s_median", median);
        out.put("epoch_s_min", sorted[0]);
        out.put("epoch_s_max", sorted[sorted.length - 1]);
        out.put("acc_ep1", firstAccuracy);
        out.put("acc_last", lastAccuracy);
        out.put("epochs", (long) epochs);
        out.put("epoch_cpu_s_median", cpu.stream().mapToDouble(Double::doubleValue).sorted().toArray()[cpu.size() / 2]);
        out.put("peak_rss_mib", peakRssMib());
        out.put("gemm", Gemm.backend().name());
        out.put("java", System.getProperty("java.version"));
        System.out.println(Json.write(out));
    }

    private static double accuracy(Sequential model, TensorDataset test) {
        model.eval();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            Tensor predicted = model.forward(test.x()).argmax(1, false);
            double right = predicted.eq(test.y()).sum().item();
            return right / test.size();
        } finally {
            model.train();
        }
    }

    /**
     * CPU time of the whole process (all threads, JIT and GC included): on a shared machine the work
     * an epoch took, where its wall time also counts other tenants' turns.
     */
    static long processCpuNanos() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean s ? s.getProcessCpuTime() : 0L;
    }

    /** The process's high-water resident set (VmHWM), as the reference script's ru_maxrss. */
    static double peakRssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return Double.NaN;
    }

    private MlpBenchmark() {}
}
