package org.omomi.ctr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * <p>The next block is read while the current one trains, on a thread of its own. When every
 * kept training row fits in one block, the block read in the first epoch is kept
 * and the file is not read again: the memory is the block's either way, and later epochs differ
 * only in their order.
 */
public final class ClickStream implements BatchSource {

    /** The default shuffle block: 2¹⁸ rows (42 MB encoded for Criteo's 39 fields; the next block is read beside it). */
    public static final int DEFAULT_BLOCK = 1 << 18;

    private final ClickLog log;
    private final ClickFeatures features;
    private final Split split;
    private final long rows;
    private final int batchSize;
    private final int block;
    private final long seed;
    private Block cached; // the whole training set, when it fits in one block

    /** Whether the next block is read on a thread of its own ({@code -Domomi.ctr.prefetch=false} turns it off). */
    static final boolean PREFETCH = !"false".equals(System.getProperty("omomi.ctr.prefetch"));

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

    /**
     * One pass: a reader, the current block and where in it the next batch starts. The next
     * block is read and encoded on a thread of its own while the current one trains (parsing
     * and hashing would otherwise stop the training for as long); what a block holds and in which
     * order its rows are visited do not depend on that timing.
     */
    private final class Epoch implements Iterator<Batch> {
        private final int epoch;
        private final LogReader reader; // null when the training set is cached
        private final int f = features.fieldCount();
        private final int d = features.numericCount();
        private final int capacity;
        private final ExecutorService prefetch;
        private Future<Block> pending;
        private Block current;
        private int[] order;
        private int at;           // next position in order
        private int blockIndex = -1;
        private long seen;        // kept training rows read so far
        private boolean ended;    // no block after the current one

        Epoch(int epoch) throws IOException {
            this.epoch = epoch;
            this.capacity = (int) Math.min(block, rows + 1); // room for one more row: a set that fits ends inside the block
            if (cached != null) {
                reader = null;
                prefetch = null;
                return;
            }
            this.reader = log.open();
            this.prefetch = !PREFETCH ? null : Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "omomi-ctr-reader");
                t.setDaemon(true);
                return t;
            });
            pending = submit();
        }

        /** The next block's read: on the prefetch thread, or (without one) now, on this thread. */
        private Future<Block> submit() {
            if (prefetch != null) {
                return prefetch.submit(this::read);
            }
            java.util.concurrent.CompletableFuture<Block> f = new java.util.concurrent.CompletableFuture<>();
            try {
                f.complete(read());
            } catch (IOException | RuntimeException e) {
                f.completeExceptionally(e);
            }
            return f;
        }

        @Override
        public boolean hasNext() {
            if (order != null && at < current.count()) {
                return true;
            }
            if (ended) {
                return false;
            }
            advance();
            return at < current.count();
        }

        private void advance() {
            at = 0;
            blockIndex++;
            if (reader == null) { // the cached training set, once
                current = cached;
                ended = true;
            } else {
                current = await(pending);
                seen += current.count();
                if (current.count() < capacity) {
                    ended = true;
                    finish();
                    if (seen != rows) {
                        throw new IllegalStateException(log.file() + ": " + seen + " training rows in epoch " + (epoch + 1) + ", but "
                                + rows + " when training began; the log changed");
                    }
                    if (blockIndex == 0) {
                        cached = current; // the whole training set: no need to read the file again
                    }
                } else {
                    pending = submit();
                }
            }
            order = current.count() == 0 ? new int[0] : new Rng(mix(seed, epoch, blockIndex)).permutation(current.count());
        }

        /** The next block of kept training rows, encoded (on the prefetch thread). */
        private Block read() throws IOException {
            int[] ids = new int[capacity * f];
            float[] x = new float[capacity * d];
            float[] y = new float[capacity];
            int count = 0;
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
                    continue;
                }
                y[count++] = r.label();
            }
            return new Block(ids, x, y, count);
        }

        private Block await(Future<Block> f) {
            try {
                return f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                finish();
                throw new IllegalStateException("interrupted while reading " + log.file());
            } catch (ExecutionException e) {
                finish();
                Throwable c = e.getCause();
                if (c instanceof RuntimeException re) {
                    throw re;
                }
                if (c instanceof IOException io) {
                    throw new UncheckedIOException(io);
                }
                throw new IllegalStateException(c);
            }
        }

        private void finish() {
            if (prefetch != null) {
                prefetch.shutdownNow();
            }
            try {
                reader.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void skip() {
            at = Math.min(current.count(), at + batchSize);
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int n = Math.min(batchSize, current.count() - at);
            int[] bi = new int[n * f];
            float[] bx = new float[n * d];
            float[] by = new float[n];
            int[] ids = current.ids();
            float[] x = current.x();
            float[] y = current.y();
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
