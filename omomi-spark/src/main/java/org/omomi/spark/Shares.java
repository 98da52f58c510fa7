package org.omomi.spark;

import java.util.Arrays;
import org.omomi.data.DataLoader;
import org.omomi.data.Dataset;

/**
 * Which of its rows each partition contributes to each global batch: a function of the seed, the
 * epoch, the step and the partitions' sizes alone, so a retried task, a resumed run and the
 * driver all agree without shipping any list of rows.
 *
 * <p>With n_p rows in partition p, N = Σ n_p and global batch B, an epoch has S = ⌈N / B⌉ steps.
 * Partition p visits its rows in the order {@link DataLoader#order} draws for a dataset of n_p
 * rows from seed s_p (s_0 = the run's seed; s_p for p &gt; 0 a SplitMix64 mix of the seed and p),
 * and its share of step t is positions [⌊n_p·t·B / N⌋, ⌊n_p·(t + 1)·B / N⌋) of that order, capped at
 * n_p: every row once per epoch, each partition in proportion to its size. With one partition
 * the shares are exactly the local {@code DataLoader}'s batches, which is why one partition
 * reproduces local training.
 */
public final class Shares {

    private Shares() {}

    /** Steps per epoch: ⌈N / B⌉. */
    public static int steps(long rows, int batch) {
        long s = (rows + batch - 1) / batch;
        if (s > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(rows + " rows in batches of " + batch + " make more than 2³¹ steps per epoch");
        }
        return (int) s;
    }

    /** The seed partition {@code p} shuffles its rows with. */
    public static long seed(long seed, int partition) {
        if (partition == 0) {
            return seed;
        }
        long z = seed + 0x9e3779b97f4a7c15L * partition;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The first position of step {@code step}'s share in a partition of {@code size} rows: ⌊n_p·t·B / N⌋ capped at n_p. */
    public static int start(int size, long rows, int batch, int step) {
        long reach = Math.multiplyExact((long) step, batch);
        if (reach >= rows) {
            return size;
        }
        return (int) (Math.multiplyExact((long) size, reach) / rows);
    }

    /** Partition {@code p}'s positions [from, to) for step {@code step}. */
    public static int[] bounds(int size, long rows, int batch, int step) {
        return new int[] {start(size, rows, batch, step), start(size, rows, batch, step + 1)};
    }

    /** The order partition {@code p} visits its rows in epoch {@code epoch}. */
    public static int[] order(Dataset part, long seed, int partition, int epoch, boolean shuffle) {
        return new DataLoader(part, 1, shuffle, seed(seed, partition)).order(epoch);
    }

    /** The rows of step {@code step}'s share, from an epoch's order. */
    public static int[] rows(int[] order, long rows, int batch, int step) {
        int[] b = bounds(order.length, rows, batch, step);
        return Arrays.copyOfRange(order, b[0], b[1]);
    }
}
