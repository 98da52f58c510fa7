package org.omomi.bench;

import java.util.concurrent.TimeUnit;
import org.omomi.data.TensorDataset;
import org.omomi.nn.Dense;
import org.omomi.nn.Sequential;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.train.ConvexFit;
import org.omomi.train.Head;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The default convex fit of a table: {@link ConvexFit} (full-batch L-BFGS to gradient tolerance
 * 1e-6) of a logistic or linear regression on {@code rows} × {@code columns} standardized Gaussian
 * columns drawn from a known model whose weights halve from 1.6 (0.8, 0.4, …, at least 0.1). One
 * benchmark call is one whole fit from a fresh model; {@code -Domomi.threads} sets the threads.
 *
 * <pre>java -jar omomi-bench/target/benchmarks.jar ConvexFitBenchmark -jvmArgsAppend "-Domomi.threads=2"</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
public class ConvexFitBenchmark {

    @Param({"50000x50"})
    public String shape;

    @Param({"logistic", "linear"})
    public String task;

    private TensorDataset data;
    private int columns;

    @Setup
    public void setUp() {
        String[] p = shape.split("x");
        int rows = Integer.parseInt(p[0]);
        columns = Integer.parseInt(p[1]);
        Rng rng = new Rng(1);
        double[] beta = new double[columns];
        for (int j = 0; j < columns; j++) {
            int level = 31 - Integer.numberOfLeadingZeros(j + 1);
            beta[j] = (j % 2 == 0 ? 1 : -1) * Math.max(0.1, 1.6 / (1 << Math.min(level, 30)));
        }
        float[] x = new float[rows * columns];
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            double eta = -0.3;
            for (int j = 0; j < columns; j++) {
                float z = (float) rng.nextGaussian();
                x[i * columns + j] = z;
                eta += beta[j] * z;
            }
            y[i] = task.equals("logistic") ? (rng.nextDouble() < 1 / (1 + Math.exp(-eta)) ? 1 : 0) : (float) (eta + rng.nextGaussian());
        }
        data = new TensorDataset(Tensor.of(x, rows, columns), Tensor.of(y, rows));
    }

    @Benchmark
    public ConvexFit.Result fit() {
        Sequential model = new Sequential(new Dense(columns, 1, new Rng(7)));
        Head head = task.equals("logistic") ? Head.binary() : Head.regression(1, null);
        ConvexFit.Result r = ConvexFit.fit(model, head, data, null, ConvexFit.Options.defaults());
        if (!r.converged()) {
            throw new IllegalStateException("the benchmark's fit did not converge: " + r.reason());
        }
        return r;
    }
}
