package org.omomi.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fuzzer can fail: each way of breaking the reader contract is caught, and its cases are seeded. */
class FuzzTest {

    private static final List<byte[]> VALID = List.of("{\"a\": [1, 2, 3], \"b\": \"text\"}".getBytes(StandardCharsets.UTF_8));

    private static Fuzz.Result run(Fuzz.Reader reader) {
        return Fuzz.run("self-test", VALID, new Mutator(1), 50, "where", 2000, reader);
    }

    private static Fuzz.Reader failingOnMutations(Runnable fail) {
        return in -> {
            if (!new String(in, StandardCharsets.UTF_8).equals(new String(VALID.get(0), StandardCharsets.UTF_8))) {
                fail.run();
            }
        };
    }

    @Test
    void aCleanRefusalPasses() {
        Fuzz.Result r = run(failingOnMutations(() -> {
            throw new IllegalArgumentException("where: bad");
        }));
        assertTrue(r.failures().isEmpty());
        assertTrue(r.refused() > 0);
    }

    @Test
    void anotherExceptionFails() {
        assertTrue(run(failingOnMutations(() -> {
            throw new NullPointerException();
        })).failures().get(0).what().startsWith("java.lang.NullPointerException"));
        assertTrue(run(failingOnMutations(() -> Integer.parseInt("x"))).failures().get(0).what()
                .startsWith("java.lang.NumberFormatException"));
    }

    @Test
    void aBadMessageFails() {
        assertTrue(run(failingOnMutations(() -> {
            throw new IllegalArgumentException("where: two\nlines");
        })).failures().get(0).what().startsWith("message of more than one line"));
        assertTrue(run(failingOnMutations(() -> {
            throw new IllegalArgumentException("bad, and no place named");
        })).failures().get(0).what().startsWith("message does not say where"));
    }

    @Test
    void aStackOverflowAHangAndAHugeAllocationFail() {
        assertTrue(run(failingOnMutations(FuzzTest::recurse)).failures().get(0).what().startsWith("java.lang.StackOverflowError"));
        Fuzz.Result hang = run(failingOnMutations(() -> {
            long end = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        }));
        assertEquals(1, hang.failures().size(), "the run stops at the first hang");
        assertTrue(hang.failures().get(0).what().startsWith("hang"));
        assertTrue(run(failingOnMutations(() -> {
            long sum = 0;
            for (int i = 0; i < 100; i++) {
                sum += new byte[1 << 20].length; // 100 MiB for a 30-byte input
            }
            assertTrue(sum > 0);
        })).failures().get(0).what().startsWith("allocated"));
    }

    @Test
    void casesAreAFunctionOfSeedAndIndex() {
        Mutator a = new Mutator(7);
        Mutator b = new Mutator(7);
        for (int i = 0; i < 200; i++) {
            assertEquals(new String(a.mutate(VALID, i), StandardCharsets.ISO_8859_1), new String(b.mutate(VALID, i), StandardCharsets.ISO_8859_1));
        }
        int differ = 0;
        for (int i = 0; i < 200; i++) {
            differ += java.util.Arrays.equals(new Mutator(7).mutate(VALID, i), new Mutator(8).mutate(VALID, i)) ? 0 : 1;
        }
        assertTrue(differ > 150, "another seed gives other cases");
    }

    private static void recurse() {
        recurse();
    }
}
