package org.omomi.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.omomi.kernel.Parallel;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * With more than one thread the loader draws the next batch while the caller works on this one:
 * the batches are the same, augmentation included, and a failure to draw a batch is thrown by
 * the {@code next()} that asks for that batch, as without prefetching.
 */
class DataLoaderPrefetchTest {

    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    /** A dataset that notes the threads that draw from it. */
    private static final class Watched implements Dataset {
        final Dataset inner;
        final Set<String> threads = ConcurrentHashMap.newKeySet();

        Watched(Dataset inner) {
            this.inner = inner;
        }

        @Override
        public int size() {
            return inner.size();
        }

        @Override
        public Batch get(int[] indices) {
            threads.add(Thread.currentThread().getName());
            return inner.get(indices);
        }
    }

    private static List<Batch> epoch(DataLoader loader, int e) {
        List<Batch> out = new ArrayList<>();
        loader.epoch(e, 0).forEachRemaining(out::add);
        return out;
    }

    @Test
    void theBatchesAreTheSameDrawnAheadOrNot() {
        Tensor x = Tensor.randn(new Rng(1), 1000, 2 * 4 * 4);
        Tensor y = Tensor.randn(new Rng(2), 1000);
        Watched ds = new Watched(new TensorDataset(x, y));
        DataLoader loader = new DataLoader(ds, 64, true, 9).withAugmentation(Augmentation.horizontalFlip(4, 4));
        Parallel.setThreads(1);
        List<Batch> alone = epoch(loader, 3);
        assertEquals(Set.of(Thread.currentThread().getName()), ds.threads, "one thread: nothing drawn ahead");
        Parallel.setThreads(2);
        ds.threads.clear();
        List<Batch> ahead = epoch(loader, 3);
        if (DataLoader.PREFETCH) {
            assertTrue(ds.threads.contains("omomi-prefetch"), "drawn by " + ds.threads);
        }
        assertEquals(alone.size(), ahead.size());
        for (int i = 0; i < alone.size(); i++) {
            assertArrayEquals(alone.get(i).x().toArray(), ahead.get(i).x().toArray(), "batch " + i);
            assertArrayEquals(alone.get(i).y().toArray(), ahead.get(i).y().toArray(), "batch " + i);
        }
    }

    @Test
    void aBatchThatCannotBeDrawnFailsWhenItIsAskedFor() {
        Parallel.setThreads(2);
        IllegalStateException broken = new IllegalStateException("row 130 is unreadable");
        AtomicInteger asked = new AtomicInteger();
        Dataset inner = new TensorDataset(Tensor.randn(new Rng(3), 300, 3), Tensor.randn(new Rng(4), 300));
        Dataset failing = new Dataset() {
            @Override
            public int size() {
                return inner.size();
            }

            @Override
            public Batch get(int[] indices) {
                if (asked.getAndIncrement() == 2) {
                    throw broken;
                }
                return inner.get(indices);
            }
        };
        Iterator<Batch> it = new DataLoader(failing, 64, false, 0).epoch(0, 0);
        it.next();
        it.next();
        assertSame(broken, assertThrows(IllegalStateException.class, it::next));
    }
}
