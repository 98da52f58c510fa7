package org.omomi.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Random;
import org.omomi.io.Json;
import org.omomi.kernel.Gemm;
import org.omomi.kernel.GemmBackend;
import org.omomi.kernel.Parallel;
import org.omomi.openblas.OpenBlasGemm;

/**
 * Which kernel omomi's native backend (bytedeco's OpenBLAS) runs in this process, whether it is
 * right, and how fast it is on one thread: one JSON line, the Java twin of the probe in the
 * reference scripts' {@code common.py}. {@code bench/coretype.py} runs it under each candidate
 * {@code OPENBLAS_CORETYPE} to give omomi's native path the same best kernel as the peer.
 *
 * <ul>
 * <li>{@code corename}: {@code openblas_get_corename()};</li>
 * <li>{@code gemm_ok}: a 300×200 by 200×100 product agrees with the float64 product to 1e-5 of
 *     its largest entry (the reference scripts' test);</li>
 * <li>{@code gflops}: a 1024³ product on one thread, the median of seven timings in thread CPU
 *     time (other tenants of a shared machine take wall time, not CPU time).</li>
 * </ul>
 *
 * <pre>java -cp benchmarks.jar org.omomi.bench.OpenBlasProbe</pre>
 */
public final class OpenBlasProbe {

    public static void main(String[] args) {
        Parallel.setThreads(1);
        var out = new LinkedHashMap<String, Object>();
        out.put("lib", "omomi-openblas");
        out.put("openblas_coretype", System.getenv().getOrDefault("OPENBLAS_CORETYPE", "unset"));
        if (OpenBlasGemm.loadFailure() != null) {
            out.put("corename", "not loaded: " + OpenBlasGemm.loadFailure());
            out.put("gemm_ok", false);
            System.out.println(Json.write(out));
            return;
        }
        GemmBackend blas = Gemm.backend("openblas");
        out.put("corename", String.valueOf(OpenBlasGemm.coreName()));
        out.put("gemm_ok", agreesWithDouble(blas));
        out.put("gflops", gflops(blas, 1024));
        System.out.println(Json.write(out));
    }

    static boolean agreesWithDouble(GemmBackend g) {
        int m = 300;
        int k = 200;
        int n = 100;
        Random r = new Random(0);
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextGaussian();
        }
        float[] c = new float[m * n];
        Gemm.sgemm(g, false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        double worst = 0;
        double largest = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double d = 0;
                for (int p = 0; p < k; p++) {
                    d += (double) a[i * k + p] * b[p * n + j];
                }
                worst = Math.max(worst, Math.abs(c[i * n + j] - d));
                largest = Math.max(largest, Math.abs(d));
            }
        }
        return worst / largest < 1e-5;
    }

    static double gflops(GemmBackend g, int size) {
        float[] a = new float[size * size];
        float[] b = new float[size * size];
        float[] c = new float[size * size];
        Random r = new Random(1);
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
            b[i] = (float) r.nextGaussian();
        }
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        double[] t = new double[7];
        for (int w = 0; w < 3; w++) {
            Gemm.sgemm(g, false, false, size, size, size, 1f, a, 0, size, b, 0, size, 0f, c, 0, size);
        }
        for (int i = 0; i < t.length; i++) {
            long t0 = cpu.getCurrentThreadCpuTime();
            Gemm.sgemm(g, false, false, size, size, size, 1f, a, 0, size, b, 0, size, 0f, c, 0, size);
            t[i] = (cpu.getCurrentThreadCpuTime() - t0) / 1e9;
        }
        Arrays.sort(t);
        return 2.0 * size * size * size / t[t.length / 2] / 1e9;
    }

    private OpenBlasProbe() {}
}
