package org.omomi.kernel;

import java.util.concurrent.ForkJoinWorkerThread;

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
 * idle while OpenBLAS works and vice versa. Why not a {@code ForkJoinPool}: its idle workers park
 * at once, and a training step's dozens of small parallel operations then each paid a wake-up
 * (DeepFM over a million rows: 60,000 rows/s on a ForkJoinPool, 65,000 with workers that spin
 * briefly; a B5 batch's gather 111 µs split, 58 µs on one thread, 41 µs split here).
 */
public final class Parallel {

    /** A piece of work over the index range {@code [start, end)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    private static volatile int threads = initialThreads();
    private static Team team;

    /**
     * How long an idle worker, and a caller waiting for its workers, spin before they sleep:
     * {@code omomi.spinMicros}, default {@value #DEFAULT_SPIN_MICROS} µs. Waking a sleeping thread
     * took 50 µs on a 2-core virtual machine, longer than most of a training step's parallel
     * operations, while the next one arrives within microseconds; spinning that briefly costs
     * nothing once work stops.
     */
    private static final long SPIN_NANOS = 1000L * spinMicros();
    private static final int DEFAULT_SPIN_MICROS = 200;
    private static volatile boolean spinning = true;

    private Parallel() {}

    private static long spinMicros() {
        return wholeProperty("omomi.spinMicros", DEFAULT_SPIN_MICROS, 0, Long.MAX_VALUE / 1000, "a whole number of microseconds");
    }

    private static int initialThreads() {
        return (int) wholeProperty("omomi.threads", Runtime.getRuntime().availableProcessors(), 1, Integer.MAX_VALUE, "a positive integer");
    }

    /** A whole-number system property in [min, max], or {@code fallback} when unset; anything else is an error naming it. */
    private static long wholeProperty(String name, long fallback, long min, long max, String expected) {
        String prop = System.getProperty(name);
        if (prop == null || prop.isBlank()) {
            return fallback;
        }
        try {
            long v = Long.parseLong(prop.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("system property " + name + ": expected " + expected + ", got '" + prop + "'");
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
            if (team != null) {
                team.shutdown();
                team = null;
            }
        }
    }

    private static synchronized Team team() {
        if (team == null) {
            team = new Team(threads - 1);
        }
        return team;
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} contiguous chunks of
     * at least {@code minChunk} indices each. Runs inline when one chunk suffices or when called from
     * one of our workers or any fork-join worker (nested parallelism would only oversubscribe the
     * cores). A second thread that calls while the workers are busy (a nested call from the
     * caller's own chunk included) runs its chunks itself, one after another: the same results,
     * as every kernel's are on any number of threads.
     */
    public static void forRange(int n, int minChunk, RangeBody body) {
        int chunks = chunks(n, minChunk);
        Thread self = Thread.currentThread();
        if (chunks <= 1 || self instanceof Worker || self instanceof ForkJoinWorkerThread) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        forChunks(n, chunks, body);
    }

    /** Values a chunk of {@link #forRows} holds at least: fewer cost more to hand over than to do. */
    private static final int ROW_VALUES_PER_CHUNK = 1 << 14;

    /**
     * {@link #forRange} over {@code rows} rows of {@code rowWidth} values each, every chunk at least
     * {@value #ROW_VALUES_PER_CHUNK} values: the grain of the row-by-row kernels (sparse updates,
     * gradient sums by row, per-plane normalization).
     */
    public static void forRows(int rows, int rowWidth, RangeBody body) {
        forRange(rows, Math.max(1, ROW_VALUES_PER_CHUNK / Math.max(1, rowWidth)), body);
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

    /**
     * Whether idle workers spin before they sleep (the default) or sleep at once. A native BLAS's
     * own threads spin after each of its calls, and two pools spinning on the same cores slow
     * each other: the B2 MLP through omomi-openblas ran 26–29K samples/s with omomi's workers
     * spinning, 31–35K without, so that backend turns it off.
     */
    public static void spinWhenIdle(boolean on) {
        if (spinning != on) {
            spinning = on;
        }
    }

    /** Runs exactly {@code chunks} tasks over {@code [0, n)}; chunk 0 runs on the calling thread. */
    private static void forChunks(int n, int chunks, RangeBody body) {
        Team t = team();
        if (!t.claim()) {
            for (int c = 0; c < chunks; c++) {
                body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
            }
            return;
        }
        try {
            t.run(n, chunks, body);
        } finally {
            t.release();
        }
    }

    /**
     * The worker threads, one fewer than {@link #threads()} (the caller takes the first chunk),
     * serving one caller at a time. A worker spins for {@link #SPIN_NANOS} after its last chunk
     * before it parks (unless {@link #spinWhenIdle} turned that off); the caller spins as long for
     * the workers' chunks, then parks until the last one wakes it. Parking and waking follow one rule on both sides: the sleeper announces
     * itself and looks once more before it parks, the waker publishes its work and then looks for
     * a sleeper, so a wake-up cannot be lost.
     */
    private static final class Team {
        private final Worker[] workers;
        private final java.util.concurrent.atomic.AtomicBoolean busy = new java.util.concurrent.atomic.AtomicBoolean();
        private final java.util.concurrent.atomic.AtomicInteger remaining = new java.util.concurrent.atomic.AtomicInteger();
        private volatile Thread waiting; // the caller, while it sleeps
        private volatile Throwable failure;

        Team(int size) {
            workers = new Worker[size];
            for (int i = 0; i < size; i++) {
                workers[i] = new Worker(this, i);
                workers[i].start();
            }
        }

        boolean claim() {
            return busy.compareAndSet(false, true);
        }

        void release() {
            busy.set(false);
        }

        void run(int n, int chunks, RangeBody body) {
            failure = null;
            remaining.set(chunks - 1);
            for (int c = 1; c < chunks; c++) {
                workers[c - 1].give(new Job(body, (int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks)));
            }
            Throwable own = null;
            try {
                body.run(0, (int) ((long) n / chunks));
            } catch (Throwable e) {
                own = e;
            }
            awaitWorkers();
            Throwable first = own != null ? own : failure;
            if (first instanceof RuntimeException e) {
                throw e;
            }
            if (first instanceof Error e) {
                throw e;
            }
            if (first != null) {
                throw new IllegalStateException(first);
            }
        }

        private void awaitWorkers() {
            long until = System.nanoTime() + SPIN_NANOS;
            while (remaining.get() > 0) {
                if (System.nanoTime() < until) {
                    Thread.onSpinWait();
                    continue;
                }
                waiting = Thread.currentThread();
                if (remaining.get() > 0) {
                    java.util.concurrent.locks.LockSupport.park(this);
                }
                waiting = null;
            }
        }

        /** A worker's chunk is done: the last one wakes the caller if it sleeps. */
        void done(Throwable e) {
            if (e != null && failure == null) {
                failure = e;
            }
            if (remaining.decrementAndGet() == 0) {
                Thread w = waiting;
                if (w != null) {
                    java.util.concurrent.locks.LockSupport.unpark(w);
                }
            }
        }

        /** Stops the workers once no caller is using them; the team is not used again. */
        void shutdown() {
            while (!claim()) {
                Thread.onSpinWait();
            }
            for (Worker w : workers) {
                w.give(Job.STOP);
            }
        }
    }

    /** One chunk for a worker. */
    private record Job(RangeBody body, int start, int end) {
        static final Job STOP = new Job(null, 0, 0);
    }

    /** A daemon thread that runs the chunks its team gives it. */
    private static final class Worker extends Thread {
        private final Team team;
        private volatile Job job;
        private volatile boolean sleeping;

        Worker(Team team, int index) {
            super("omomi-worker-" + index);
            this.team = team;
            setDaemon(true);
        }

        void give(Job j) {
            job = j;
            if (sleeping) {
                java.util.concurrent.locks.LockSupport.unpark(this);
            }
        }

        @Override
        public void run() {
            while (true) {
                Job j = next();
                job = null;
                if (j == Job.STOP) {
                    return;
                }
                Throwable failed = null;
                try {
                    j.body().run(j.start(), j.end());
                } catch (Throwable e) {
                    failed = e;
                }
                team.done(failed);
            }
        }

        private Job next() {
            long until = System.nanoTime() + SPIN_NANOS;
            while (true) {
                Job j = job;
                if (j != null) {
                    return j;
                }
                if (spinning && System.nanoTime() < until) {
                    Thread.onSpinWait();
                    continue;
                }
                sleeping = true;
                if (job == null) {
                    java.util.concurrent.locks.LockSupport.park(this);
                }
                sleeping = false;
            }
        }
    }
}
