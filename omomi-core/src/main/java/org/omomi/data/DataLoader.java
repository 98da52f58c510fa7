package org.omomi.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
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

    /** The batches of one epoch, from batch {@code first} on (0 for a whole epoch). */
    @Override
    public Iterator<Batch> epoch(int epoch, int first) {
        int[] order = order(epoch);
        int total = batches();
        return new Iterator<>() {
            private int next = first;

            @Override
            public boolean hasNext() {
                return next < total;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int from = next * batchSize;
                int to = Math.min(order.length, from + batchSize);
                int[] idx = java.util.Arrays.copyOfRange(order, from, to);
                Batch b = transform.apply(dataset.get(idx));
                if (augmentation != null) {
                    // A generator of its own for (seed, epoch, batch): nothing to carry between batches.
                    b = augmentation.apply(b, new Rng(mix(seed, epoch, next)));
                }
                next++;
                return b;
            }
        };
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
