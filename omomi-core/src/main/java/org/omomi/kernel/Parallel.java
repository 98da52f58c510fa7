package org.omomi.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;

/**
 * The one thread pool every omomi kernel shares.
 *
 * <p>The thread count comes from the system property {@code omomi.threads} (default: the number of
 * available processors) and can be changed with {@link #setThreads(int)}. Kernels split work into
 * ranges whose boundaries never depend on the thread count, so a result is the same bit for bit
 * whether it was computed with one thread or many.
 *
 * <p>Why our own pool: a native BLAS brings its own threads, and two pools busy on the same two
 * cores at once run slower than one. Native GEMM calls block the calling thread, so this pool is
 * idle while OpenBLAS works and vice versa.
 */
public final class Parallel {

    /** A piece of work over the index range {@code [start, end)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    private static volatile int threads = initialThreads();
    private static ForkJoinPool pool;

    private Parallel() {}

    private static int initialThreads() {
        String prop = System.getProperty("omomi.threads");
        int cpus = Runtime.getRuntime().availableProcessors();
        if (prop == null || prop.isBlank()) {
            return cpus;
        }
        try {
            int n = Integer.parseInt(prop.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("system property omomi.threads: expected a positive integer, got '" + prop + "'");
    }

    /** The number of threads kernels may use (at least 1). */
    public static int threads() {
        return threads;
    }

    /** Sets the number of threads kernels may use; 1 runs everything on the calling thread. */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + n);
        }
        if (n != threads) {
            threads = n;
            if (pool != null) {
                pool.shutdown();
                pool = null;
            }
        }
    }

    private static synchronized ForkJoinPool pool() {
        if (pool == null) {
            pool = new ForkJoinPool(threads, p -> {
                ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
                t.setName("omomi-worker-" + t.getPoolIndex());
                t.setDaemon(true);
                return t;
            }, null, false);
        }
        return pool;
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} contiguous chunks of
     * at least {@code minChunk} indices each. Runs inline when one chunk suffices or when called from
     * any fork-join worker, ours or another pool's (nested parallelism would only oversubscribe the
     * cores).
     */
    public static void forRange(int n, int minChunk, RangeBody body) {
        int chunks = chunks(n, minChunk);
        if (chunks <= 1 || Thread.currentThread() instanceof ForkJoinWorkerThread) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        forChunks(n, chunks, body);
    }

    /** How many chunks {@link #forRange} would use for {@code n} indices. */
    public static int chunks(int n, int minChunk) {
        int t = threads;
        if (t <= 1 || n <= minChunk) {
            return 1;
        }
        long byWork = Math.max(1, n / Math.max(1, minChunk));
        return (int) Math.min(t, byWork);
    }

    /** Runs exactly {@code chunks} tasks over {@code [0, n)}; chunk 0 runs on the calling thread. */
    private static void forChunks(int n, int chunks, RangeBody body) {
        ForkJoinPool p = pool();
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int start = (int) ((long) n * c / chunks);
            int end = (int) ((long) n * (c + 1) / chunks);
            tasks[c - 1] = p.submit(new Chunk(body, start, end));
        }
        RuntimeException failure = null;
        try {
            body.run(0, (int) ((long) n / chunks));
        } catch (RuntimeException e) {
            failure = e;
        }
        for (ForkJoinTask<?> task : tasks) {
            try {
                task.join();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static final class Chunk extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final transient RangeBody body;
        private final int start;
        private final int end;

        Chunk(RangeBody body, int start, int end) {
            this.body = body;
            this.start = start;
            this.end = end;
        }

        @Override
        protected void compute() {
            body.run(start, end);
        }
    }
}
