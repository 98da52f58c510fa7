package org.omomi.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.omomi.tensor.Rng;

/**
 * Mini-batches of a dataset, epoch by epoch. With shuffling, epoch e visits the examples in an
 * order drawn from {@code Rng(seed)} split e + 1 times, so any epoch's order can be recomputed
 * without replaying the ones before it (which is how a resumed run gets the same batches). The last
 * batch may be smaller. An optional {@link Augmentation} is applied to each batch with a generator
 * drawn from the seed, the epoch and the batch index alone, for the same reason.
 */
public final class DataLoader implements BatchSource {

    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final UnaryOperator<Batch> transform;
    private final Augmentation augmentation;

    public DataLoader(Dataset dataset, int batchSize, boolean shuffle, long seed) {
        this(dataset, batchSize, shuffle, seed, UnaryOperator.identity(), null);
    }

    private DataLoader(Dataset dataset, int batchSize, boolean shuffle, long seed, UnaryOperator<Batch> transform,
                       Augmentation augmentation) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.transform = transform;
        this.augmentation = augmentation;
    }

    /** The same loader with {@code t} applied to every batch after the ones already applied. */
    public DataLoader withTransform(UnaryOperator<Batch> t) {
        UnaryOperator<Batch> previous = transform;
        return new DataLoader(dataset, batchSize, shuffle, seed, b -> t.apply(previous.apply(b)), augmentation);
    }

    /** The same loader with a random augmentation of every batch. */
    public DataLoader withAugmentation(Augmentation a) {
        return new DataLoader(dataset, batchSize, shuffle, seed, transform, a);
    }

    public Dataset dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Batches per epoch. */
    @Override
    public int batches() {
        return (dataset.size() + batchSize - 1) / batchSize;
    }

    /** The order in which epoch {@code epoch} (from 0) visits the examples. */
    public int[] order(int epoch) {
        int n = dataset.size();
        if (!shuffle) {
            int[] identity = new int[n];
            for (int i = 0; i < n; i++) {
                identity[i] = i;
            }
            return identity;
        }
        Rng rng = new Rng(seed);
        Rng epochRng = rng.split();
        for (int e = 0; e < epoch; e++) {
            epochRng = rng.split();
        }
        return epochRng.permutation(n);
    }

    /**
     * Whether the next batch is drawn on a thread of its own while the caller trains on this one
     * ({@code -Domomi.prefetch=false} turns it off; so does one thread, {@code omomi.threads=1}).
     * Drawing a mini-batch from a large table waits on memory, a cache miss per row (B5: 150 µs
     * of a 260 µs step); the training step of a small model leaves a core idle meanwhile. A batch
     * is a copy, so it is the same whichever thread draws it.
     */
    static final boolean PREFETCH = !"false".equals(System.getProperty("omomi.prefetch"));

    private static final ExecutorService AHEAD = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "omomi-prefetch");
        t.setDaemon(true);
        return t;
    });

    /** The batches of one epoch, from batch {@code first} on (0 for a whole epoch). */
    @Override
    public Iterator<Batch> epoch(int epoch, int first) {
        int[] order = order(epoch);
        int total = batches();
        boolean prefetch = PREFETCH && org.omomi.kernel.Parallel.threads() > 1;
        return new Iterator<>() {
            private int next = first;
            /** Batch {@code next} in the making, or null. */
            private Future<Batch> ahead;

            @Override
            public boolean hasNext() {
                return next < total;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Batch b = ahead != null ? await(ahead) : batch(order, epoch, next);
                ahead = null;
                next++;
                if (prefetch && next < total) {
                    int k = next;
                    ahead = AHEAD.submit(() -> batch(order, epoch, k));
                }
                return b;
            }
        };
    }

    /** Batch {@code k} of an epoch in {@code order}. */
    private Batch batch(int[] order, int epoch, int k) {
        int from = k * batchSize;
        int to = Math.min(order.length, from + batchSize);
        int[] idx = java.util.Arrays.copyOfRange(order, from, to);
        Batch b = transform.apply(dataset.get(idx));
        if (augmentation != null) {
            // A generator of its own for (seed, epoch, batch): nothing to carry between batches.
            b = augmentation.apply(b, new Rng(mix(seed, epoch, k)));
        }
        return b;
    }

    /** The prefetched batch; what drawing it threw is thrown here, as if drawn on this thread. */
    private static Batch await(Future<Batch> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new IllegalStateException("interrupted while the next batch was drawn", e);
        }
    }

    private static long mix(long seed, int epoch, int batch) {
        long z = seed + 0x9e3779b97f4a7c15L * (epoch + 1) + 0xbf58476d1ce4e5b9L * (batch + 1);
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** All batches of one epoch, in a list (for small datasets and tests). */
    public List<Batch> epochList(int epoch) {
        List<Batch> out = new ArrayList<>();
        epoch(epoch, 0).forEachRemaining(out::add);
        return out;
    }
}
