package org.omomi.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shared pool: every index of a range runs exactly once, on the caller and the workers; a
 * failure in any chunk reaches the caller; nested and concurrent calls finish; a changed thread
 * count takes effect; the pool is used again after long idle spells (its workers sleep).
 */
class ParallelTest {

    private final int before = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(before);
    }

    @ParameterizedTest(name = "n {0}, min chunk {1}, threads {2}")
    @CsvSource({"0,1,2", "1,1,2", "2,1,2", "7,3,2", "1000,1,2", "1000,1,3", "100000,1000,4", "5,100,4", "12345,7,1"})
    void everyIndexRunsExactlyOnce(int n, int minChunk, int threads) {
        Parallel.setThreads(threads);
        for (int round = 0; round < 50; round++) {
            AtomicIntegerArray hits = new AtomicIntegerArray(Math.max(1, n));
            Parallel.forRange(n, minChunk, (s, e) -> {
                for (int i = s; i < e; i++) {
                    hits.incrementAndGet(i);
                }
            });
            for (int i = 0; i < n; i++) {
                assertEquals(1, hits.get(i), "index " + i + " in round " + round);
            }
        }
    }

    @Test
    void workersShareTheWork() {
        Parallel.setThreads(2);
        ConcurrentHashMap<Thread, Boolean> seen = new ConcurrentHashMap<>();
        for (int round = 0; round < 20 && seen.size() < 2; round++) {
            Parallel.forRange(2, 1, (s, e) -> seen.put(Thread.currentThread(), true));
        }
        assertEquals(2, seen.size(), "two chunks on two threads ran on " + seen.keySet());
    }

    @Test
    void aFailureInAWorkersChunkReachesTheCaller() {
        Parallel.setThreads(2);
        Thread caller = Thread.currentThread();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.forRange(2, 1, (s, end) -> {
            if (Thread.currentThread() != caller) {
                throw new IllegalStateException("chunk " + s);
            }
        }));
        assertEquals("chunk 1", e.getMessage());
        AssertionError error = assertThrows(AssertionError.class, () -> Parallel.forRange(2, 1, (s, end) -> {
            if (s == 1) {
                throw new AssertionError("worker error");
            }
        }));
        assertEquals("worker error", error.getMessage());
        // and the pool still works afterwards
        everyIndexRunsExactlyOnce(1000, 1, 2);
    }

    @Test
    void aFailureInTheCallersChunkWinsAndTheWorkersFinish() {
        Parallel.setThreads(3);
        AtomicIntegerArray done = new AtomicIntegerArray(3);
        RuntimeException e = assertThrows(RuntimeException.class, () -> Parallel.forRange(3, 1, (s, end) -> {
            if (s == 0) {
                throw new RuntimeException("caller");
            }
            done.incrementAndGet(s);
        }));
        assertEquals("caller", e.getMessage());
        assertEquals(1, done.get(1));
        assertEquals(1, done.get(2));
    }

    @Test
    void nestedCallsRunInline() {
        Parallel.setThreads(2);
        AtomicIntegerArray hits = new AtomicIntegerArray(100);
        Parallel.forRange(10, 1, (s, e) -> {
            for (int i = s; i < e; i++) {
                int row = i;
                Parallel.forRange(10, 1, (a, b) -> {
                    for (int j = a; j < b; j++) {
                        hits.incrementAndGet(row * 10 + j);
                    }
                });
            }
        });
        for (int i = 0; i < 100; i++) {
            assertEquals(1, hits.get(i));
        }
    }

    @Test
    void concurrentCallersEachGetTheirWholeRange() throws Exception {
        Parallel.setThreads(2);
        int callers = 4;
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] ts = new Thread[callers];
        for (int c = 0; c < callers; c++) {
            ts[c] = new Thread(() -> {
                try {
                    start.await();
                    for (int round = 0; round < 200; round++) {
                        long[] sum = new long[1];
                        AtomicIntegerArray hits = new AtomicIntegerArray(5000);
                        Parallel.forRange(5000, 100, (s, e) -> {
                            for (int i = s; i < e; i++) {
                                hits.incrementAndGet(i);
                            }
                        });
                        for (int i = 0; i < 5000; i++) {
                            sum[0] += hits.get(i);
                        }
                        if (sum[0] != 5000) {
                            throw new AssertionError("round " + round + ": " + sum[0] + " visits of 5000 indices");
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            });
            ts[c].start();
        }
        start.countDown();
        for (Thread t : ts) {
            t.join(60_000);
            assertTrue(!t.isAlive(), "a caller did not finish");
        }
        assertSame(null, failure.get(), () -> String.valueOf(failure.get()));
    }

    @Test
    void thePoolWakesAfterItsWorkersSlept() throws Exception {
        Parallel.setThreads(2);
        everyIndexRunsExactlyOnce(1000, 1, 2);
        Thread.sleep(50); // far past the spin: the worker parks
        everyIndexRunsExactlyOnce(1000, 1, 2);
    }

    @Test
    void aChangedThreadCountTakesEffect() {
        Parallel.setThreads(3);
        ConcurrentHashMap<Thread, Boolean> seen = new ConcurrentHashMap<>();
        for (int round = 0; round < 50 && seen.size() < 3; round++) {
            Parallel.forRange(3, 1, (s, e) -> seen.put(Thread.currentThread(), true));
        }
        assertEquals(3, seen.size());
        Parallel.setThreads(1);
        seen.clear();
        Parallel.forRange(3, 1, (s, e) -> seen.put(Thread.currentThread(), true));
        assertEquals(1, seen.size());
        assertTrue(seen.containsKey(Thread.currentThread()));
    }
}
