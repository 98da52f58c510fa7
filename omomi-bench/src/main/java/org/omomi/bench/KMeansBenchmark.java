package org.omomi.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import org.omomi.io.Json;
import org.omomi.kernel.Parallel;
import org.omomi.segment.Clustering;
import org.omomi.segment.KMeans;
import org.omomi.tensor.Tensor;

/**
 * k-means with Lloyd's iterations on N × D float32 points from a file, shaped like
 * {@code bench/kmeans_sklearn.py}: the first K rows as initial centres, until no label changes or
 * ITERATIONS passes, after one warm-up fit of 3 iterations (the JIT's compilation). Seconds per
 * iteration of the whole timed fit (its final assignment pass included), wall-clock and the
 * process's CPU time. One JSON line.
 *
 * <pre>java -cp benchmarks.jar org.omomi.bench.KMeansBenchmark THREADS N D K ITERATIONS DATA.f32</pre>
 */
public final class KMeansBenchmark {

    public static void main(String[] args) throws IOException {
        int threads = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        int d = Integer.parseInt(args[2]);
        int k = Integer.parseInt(args[3]);
        int iterations = Integer.parseInt(args[4]);
        Parallel.setThreads(threads);
        float[] values = read(Path.of(args[5]), n * d);
        Tensor x = Tensor.wrap(values, n, d);
        Tensor init = x.slice(0, 0, k).contiguous();
        KMeans.lloyd(x, init, 3);
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Clustering c = KMeans.lloyd(x, init, iterations);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        var out = new LinkedHashMap<String, Object>();
        out.put("bench", "kmeans");
        out.put("lib", "omomi");
        out.put("threads", (long) threads);
        out.put("n", (long) n);
        out.put("d", (long) d);
        out.put("k", (long) k);
        out.put("iterations", (long) c.iterations());
        out.put("seconds", seconds);
        out.put("s_per_iteration", seconds / c.iterations());
        out.put("cpu_s_per_iteration", cpu / c.iterations());
        out.put("inertia", c.inertia());
        System.out.println(Json.write(out));
    }

    private static float[] read(Path file, int count) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() != 4L * count) {
                throw new IllegalArgumentException(file + ": " + ch.size() + " bytes, expected " + 4L * count);
            }
            ByteBuffer b = ByteBuffer.allocate(4 * count).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // read until full
            }
            b.flip();
            float[] v = new float[count];
            b.asFloatBuffer().get(v);
            return v;
        }
    }
}
