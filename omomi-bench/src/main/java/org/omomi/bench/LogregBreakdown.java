package org.omomi.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Iterator;
import org.omomi.data.Batch;
import org.omomi.data.DataLoader;
import org.omomi.data.TensorDataset;
import org.omomi.kernel.Parallel;
import org.omomi.nn.Dense;
import org.omomi.optim.Sgd;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.train.Head;
import org.omomi.train.TrainStep;

/**
 * Where a step of workload B5 goes: {@link LogregBenchmark}'s data and loop, with each epoch's time
 * split between drawing the batch (the shuffled gather of 1,024 rows from the 128 MB table) and
 * the training step (forward, loss, backward, SGD), in the calling thread's CPU time and in wall
 * time. A profiler's samples were no guide here: JFR put a fifth of them in the forward product,
 * which this timing puts at a tenth of the step.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks.jar org.omomi.bench.LogregBreakdown [THREADS [EPOCHS]]</pre>
 */
public final class LogregBreakdown {

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int rows = 1_000_000;
        Parallel.setThreads(threads);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        Rng rng = new Rng(0);
        Tensor x = Tensor.randn(rng, rows, 32);
        Tensor wTrue = Tensor.randn(rng, 32, 1);
        Tensor y;
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            y = Tensor.rand(rng, rows).lt(x.matmul(wTrue).reshape(rows).sigmoid());
        }
        Dense model = new Dense(32, 1, rng);
        TrainStep step = new TrainStep(model, Head.binary(), Sgd.of(model.parameters(), 0.1), 0);
        DataLoader loader = new DataLoader(new TensorDataset(x, y), 1024, true, 42);
        for (int e = 0; e < epochs; e++) {
            Iterator<Batch> it = loader.epoch(e, 0); // the permutation, untimed as in LogregBenchmark
            long wall0 = System.nanoTime();
            long batchCpu = 0, stepCpu = 0, batchWall = 0, stepWall = 0;
            int n = 0;
            while (it.hasNext()) {
                long c0 = cpu.getCurrentThreadCpuTime();
                long w0 = System.nanoTime();
                Batch b = it.next();
                long c1 = cpu.getCurrentThreadCpuTime();
                long w1 = System.nanoTime();
                step.run(b);
                stepCpu += cpu.getCurrentThreadCpuTime() - c1;
                stepWall += System.nanoTime() - w1;
                batchCpu += c1 - c0;
                batchWall += w1 - w0;
                n++;
            }
            System.out.printf(java.util.Locale.ROOT, "epoch %d: %.3f s; per batch: drawing it %.1f µs (CPU %.1f), the step %.1f µs (CPU %.1f)%n",
                    e + 1, (System.nanoTime() - wall0) / 1e9, batchWall / 1e3 / n, batchCpu / 1e3 / n, stepWall / 1e3 / n, stepCpu / 1e3 / n);
        }
    }

    private LogregBreakdown() {}
}
