package org.omomi.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.omomi.kernel.Gemm;
import org.omomi.kernel.GemmBackend;
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
 * Workload B1 of BENCHMARKS-SPEC.md: C = A·B in float32 at fixed shapes (M×K)·(K×N), as the
 * PyTorch/numpy reference script {@code gemm_np_torch.py} runs it. The thread count comes from
 * {@code -Domomi.threads}; bench/run-b1.sh runs 1 and 2 threads and converts times to GFLOP/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
public class GemmBenchmark {

    /** M×K×N, as the reference script names them. */
    @Param({"256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048", "128x784x512", "128x512x256"})
    public String shape;

    @Param({"vector", "openblas"})
    public String backend;

    private GemmBackend gemm;
    private int m;
    private int k;
    private int n;
    private float[] a;
    private float[] b;
    private float[] c;

    @Setup
    public void setUp() {
        String[] p = shape.split("x");
        m = Integer.parseInt(p[0]);
        k = Integer.parseInt(p[1]);
        n = Integer.parseInt(p[2]);
        gemm = Gemm.backend(backend);
        Random r = new Random(0);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextGaussian();
        }
    }

    @Benchmark
    public float[] sgemm() {
        Gemm.sgemm(gemm, false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        return c;
    }
}
