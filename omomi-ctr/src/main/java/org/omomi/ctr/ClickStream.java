package org.omomi.ctr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.omomi.data.Batch;
import org.omomi.data.BatchSource;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * The training rows of a click log as mini-batches, streamed from disk every epoch: memory holds
 * one shuffle block of encoded rows, whatever the size of the file.
 *
 * <p><b>Shuffling.</b> The kept training rows are cut, in file order, into blocks of
 * {@code block} rows (a multiple of the batch size); each block's rows are visited in a random
 * order drawn from {@code Rng(mix(seed, epoch, block index))} and cut into batches. A log that
 * fits in one block (most CSV files) is fully shuffled every epoch; a larger one is shuffled
 * within blocks, which is what a bounded buffer allows. Epoch e's batches are a function of the
 * seed, e and the file alone, so a run resumed at any batch sees exactly the batches of a run that
 * never stopped. Only the very last batch of an epoch may be smaller.
 *
 * <p>When every kept training row fits in one block, the block read in the first epoch is kept
 * and the file is not read again: the memory is the block's either way, and later epochs differ
 * only in their order.
 */
public final class ClickStream implements BatchSource {

    /** The default shuffle block: 2¹⁸ rows (10 MiB for 39 fields). */
    public static final int DEFAULT_BLOCK = 1 << 18;

    private final ClickLog log;
    private final ClickFeatures features;
    private final Split split;
    private final long rows;
    private final int batchSize;
    private final int block;
    private final long seed;
    private Block cached; // the whole training set, when it fits in one block

    /** Encoded rows: F ids, D numbers and the label per row. */
    private record Block(int[] ids, float[] x, float[] y, int count) {}

    /**
     * @param rows  the kept training rows the first pass counted (checked on every pass)
     * @param block rows per shuffle block, rounded up to a multiple of the batch size
     */
    public ClickStream(ClickLog log, ClickFeatures features, Split split, long rows, int batchSize, int block, long seed) {
        if (batchSize < 1 || block < 1) {
            throw new IllegalArgumentException("the batch size and the shuffle block must be positive");
        }
        this.log = log;
        this.features = features;
        this.split = split;
        this.rows = rows;
        this.batchSize = batchSize;
        this.block = (int) Math.min(Integer.MAX_VALUE - batchSize, ((long) block + batchSize - 1) / batchSize * batchSize);
        this.seed = seed;
    }

    @Override
    public int batches() {
        return (int) ((rows + batchSize - 1) / batchSize);
    }

    /** Rows per shuffle block. */
    public int block() {
        return block;
    }

    @Override
    public Iterator<Batch> epoch(int epoch, int first) {
        Epoch it;
        try {
            it = new Epoch(epoch);
            for (int b = 0; b < first && it.hasNext(); b++) {
                it.skip();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return it;
    }

    private static long mix(long seed, int epoch, int block) {
        long z = seed + 0x9e3779b97f4a7c15L * (epoch + 1) + 0xbf58476d1ce4e5b9L * (block + 1L);
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** One pass: a reader, the current block and where in it the next batch starts. */
    private final class Epoch implements Iterator<Batch> {
        private final int epoch;
        private final LogReader reader;
        private final int f = features.fieldCount();
        private final int d = features.numericCount();
        private final int[] ids;
        private final float[] x;
        private final float[] y;
        private int count;        // rows in the block
        private int[] order;
        private int at;           // next position in order
        private int blockIndex = -1;
        private long seen;        // kept training rows read so far
        private long skippedHere; // rows the encoder refused
        private boolean ended;

        Epoch(int epoch) throws IOException {
            this.epoch = epoch;
            if (cached != null) {
                reader = null;
                ids = cached.ids();
                x = cached.x();
                y = cached.y();
                return;
            }
            this.reader = log.open();
            int capacity = (int) Math.min(block, rows + 1); // room for one more row: a set that fits ends inside the block
            ids = new int[capacity * f];
            x = new float[capacity * d];
            y = new float[capacity];
        }

        @Override
        public boolean hasNext() {
            if (order != null && at < count) {
                return true;
            }
            if (ended) {
                return false;
            }
            try {
                fill();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return at < count;
        }

        private void fill() throws IOException {
            at = 0;
            if (reader == null) { // the cached block, once
                count = blockIndex < 0 ? cached.count() : 0;
                ended = true;
                blockIndex++;
                order = count == 0 ? new int[0] : new Rng(mix(seed, epoch, blockIndex)).permutation(count);
                return;
            }
            count = 0;
            int capacity = y.length;
            LogRow r;
            while (count < capacity && (r = reader.next()) != null) {
                if (split.heldOut(r.line()) || !split.kept(r.line(), r.label())) {
                    continue;
                }
                try {
                    features.encode(r.values(), reader.file(), r.line(), ids, count * f, x, count * d);
                } catch (IllegalArgumentException e) {
                    if (!log.skipBadRows()) {
                        throw e;
                    }
                    skippedHere++;
                    continue;
                }
                y[count++] = r.label();
            }
            seen += count;
            if (count < capacity) {
                ended = true;
                reader.close();
                if (seen != rows) {
                    throw new IllegalStateException(log.file() + ": " + seen + " training rows in epoch " + (epoch + 1) + ", but "
                            + rows + " when training began; the log changed");
                }
                if (blockIndex == -1) {
                    cached = new Block(ids, x, y, count); // the whole training set: no need to read the file again
                }
            }
            blockIndex++;
            order = count == 0 ? new int[0] : new Rng(mix(seed, epoch, blockIndex)).permutation(count);
        }

        void skip() {
            at = Math.min(count, at + batchSize);
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int n = Math.min(batchSize, count - at);
            int[] bi = new int[n * f];
            float[] bx = new float[n * d];
            float[] by = new float[n];
            for (int i = 0; i < n; i++) {
                int r = order[at + i];
                System.arraycopy(ids, r * f, bi, i * f, f);
                System.arraycopy(x, r * d, bx, i * d, d);
                by[i] = y[r];
            }
            at += n;
            return new Batch(features.inputs(bi, bx, n), Tensor.wrap(by, n));
        }
    }
}
