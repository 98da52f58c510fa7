package org.omomi.bench;

import java.util.Random;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
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
 * {@code -Domomi.threads}; bench/b1.sh runs 1 and 2 threads and converts times to GFLOP/s.
 *
 * <p>Backends: {@code vector} (pure Java), {@code openblas} (omomi's native path on Java arrays)
 * and {@code offheap}, the same OpenBLAS called directly on native buffers: the cost omomi would
 * save by keeping tensors off-heap, measured rather than guessed.
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

    @Param({"vector", "openblas", "offheap"})
    public String backend;

    private GemmBackend gemm;
    private int m;
    private int k;
    private int n;
    private float[] a;
    private float[] b;
    private float[] c;
    private FloatPointer pa;
    private FloatPointer pb;
    private FloatPointer pc;

    @Setup
    public void setUp() {
        String[] p = shape.split("x");
        m = Integer.parseInt(p[0]);
        k = Integer.parseInt(p[1]);
        n = Integer.parseInt(p[2]);
        gemm = Gemm.backend(backend.equals("offheap") ? "openblas" : backend); // loads OpenBLAS too
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
        if (backend.equals("offheap")) {
            pa = new FloatPointer(a);
            pb = new FloatPointer(b);
            pc = new FloatPointer((long) c.length);
            org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(org.omomi.kernel.Parallel.threads());
        }
    }

    @Benchmark
    public Object sgemm() {
        if (pa != null) {
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                    openblas_nolapack.CblasNoTrans, m, n, k, 1f, pa, k, pb, n, 0f, pc, n);
            return pc;
        }
        Gemm.sgemm(gemm, false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        return c;
    }
}
