package org.omomi.recommend;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.omomi.data.Batch;
import org.omomi.data.BatchSource;
import org.omomi.tensor.Inputs;
import org.omomi.tensor.IntTensor;
import org.omomi.tensor.Rng;

/**
 * BPR's training batches: every training interaction (u, i) once per epoch in a shuffled order,
 * each with {@code negatives} items j drawn uniformly from those u never interacted with in
 * training, as {@code user} [B, 1] and {@code item} [B, 1 + negatives] = (i, j₁, …).
 *
 * <p>Epoch e's order comes from {@code Rng(seed)} split e + 1 times and batch b's negatives from a
 * generator of (seed, e, b) alone, so any batch of any epoch can be recomputed without the ones
 * before it: what a resumed run needs ({@link BatchSource}). A negative that the user has is
 * drawn again (rejection; a binary search in the user's sorted items), up to 64 times for users
 * who have nearly everything.
 */
public final class PairSampler implements BatchSource {

    private final int[] users;
    private final int[] items;
    private final int[][] owned; // per user, sorted items in training
    private final int itemCount;
    private final int batchSize;
    private final int negatives;
    private final long seed;

    /**
     * @param users     the user of each training interaction
     * @param items     its item
     * @param owned     per user, the sorted items they have in training
     * @param itemCount the catalogue's size
     */
    public PairSampler(int[] users, int[] items, int[][] owned, int itemCount, int batchSize, int negatives, long seed) {
        if (users.length != items.length || users.length == 0) {
            throw new IllegalArgumentException("PairSampler: " + users.length + " users for " + items.length + " items");
        }
        if (batchSize < 1 || negatives < 1) {
            throw new IllegalArgumentException("PairSampler: batch size and negatives must be positive, got " + batchSize + ", " + negatives);
        }
        this.users = users;
        this.items = items;
        this.owned = owned;
        this.itemCount = itemCount;
        this.batchSize = batchSize;
        this.negatives = negatives;
        this.seed = seed;
    }

    /** A sampler over the training interactions of a split. */
    public static PairSampler of(Interactions data, Split split, int batchSize, int negatives, long seed) {
        int[] rows = split.train();
        int[] u = new int[rows.length];
        int[] i = new int[rows.length];
        for (int k = 0; k < rows.length; k++) {
            u[k] = data.user(rows[k]);
            i[k] = data.item(rows[k]);
        }
        return new PairSampler(u, i, data.subset(rows).itemsByUser(), data.itemCount(), batchSize, negatives, seed);
    }

    @Override
    public int batches() {
        return (users.length + batchSize - 1) / batchSize;
    }

    /** The order in which epoch {@code epoch} visits the interactions. */
    int[] order(int epoch) {
        Rng rng = new Rng(seed);
        Rng epochRng = rng.split();
        for (int e = 0; e < epoch; e++) {
            epochRng = rng.split();
        }
        return epochRng.permutation(users.length);
    }

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
                Batch b = batch(order, epoch, next);
                next++;
                return b;
            }
        };
    }

    private Batch batch(int[] order, int epoch, int b) {
        int from = b * batchSize;
        int n = Math.min(order.length, from + batchSize) - from;
        int w = 1 + negatives;
        int[] u = new int[n];
        int[] it = new int[n * w];
        Rng rng = new Rng(Split.mix(seed ^ 0x5bd1e995L * (epoch + 1), b));
        for (int k = 0; k < n; k++) {
            int row = order[from + k];
            int user = users[row];
            u[k] = user;
            it[k * w] = items[row];
            for (int j = 1; j < w; j++) {
                it[k * w + j] = negative(user, rng);
            }
        }
        return new Batch(Inputs.of("user", IntTensor.of(u, n, 1)).with("item", IntTensor.of(it, n, w)), null);
    }

    /** An item the user does not have in training, uniformly (up to 64 tries). */
    int negative(int user, Rng rng) {
        int[] mine = owned[user];
        int j = rng.nextInt(itemCount);
        for (int tries = 1; tries < 64 && Arrays.binarySearch(mine, j) >= 0; tries++) {
            j = rng.nextInt(itemCount);
        }
        return j;
    }
}
