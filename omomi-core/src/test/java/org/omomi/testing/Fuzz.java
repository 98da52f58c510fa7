package org.omomi.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assertions;

/**
 * A seeded mutation fuzzer for one reader: {@link Mutator} makes each case from the valid inputs,
 * and the reader must either accept it or refuse it the omomi way, which is the contract of every
 * reader:
 *
 * <ul>
 *   <li>the exception is an {@link IllegalArgumentException} (the class itself or one of omomi's
 *       own subclasses; a {@link NumberFormatException} leaking from {@code Integer.parseInt} does not
 *       count, nor does any other exception, error or {@code IOException});</li>
 *   <li>its message is one line (no line break), at most {@value #MAX_MESSAGE} characters, and
 *       names where ({@code where}: the file's name, or "JSON line" for text);</li>
 *   <li>no case runs longer than {@link #TIME_BOUND_S} seconds (a hang), and none allocates more than
 *       {@value #ALLOC_PER_BYTE} bytes per input byte plus {@value #ALLOC_SLACK_MIB} MiB (measured by the
 *       JVM's per-thread allocation counter), so no header's claim is believed before the input
 *       backs it.</li>
 * </ul>
 *
 * The reader runs on a thread of its own with the JVM's default stack, as a program's thread
 * would, so a recursion that overflows there fails here. The number of cases is the system
 * property {@code omomi.fuzz.cases} when set (the long run: {@code bench/fuzz.sh}), else the
 * test's own (CI); {@code omomi.fuzz.only}, a regular expression, keeps the readers whose names it
 * matches. Failing inputs are written to {@code target/fuzz-failures/NAME/CASE.bin}.
 */
public final class Fuzz {

    /** The longest message a refusal may have. */
    public static final int MAX_MESSAGE = 1000;
    /** Allocation allowed per input byte. */
    public static final long ALLOC_PER_BYTE = 256;
    /** Allocation allowed whatever the input, in MiB (class loading, buffers). */
    public static final long ALLOC_SLACK_MIB = 64;
    /** The time bound of one case, in seconds (generous: the machine is shared and class loading counts). */
    public static final long TIME_BOUND_S = Long.getLong("omomi.fuzz.timeout", 20);

    /** Reads one input; returns normally when it parsed. */
    @FunctionalInterface
    public interface Reader {
        void read(byte[] input) throws Exception;
    }

    /** One case that broke the contract. */
    public record Failure(long index, String what) {}

    /** What a run did: cases tried, accepted, refused, and the failures (empty when clean). */
    public record Result(String name, long cases, long parsed, long refused, List<Failure> failures, double seconds) {

        /** Fails the test with the first failures, one line each, when there are any. */
        public Result assertClean() {
            if (!failures.isEmpty()) {
                StringBuilder sb = new StringBuilder(name + ": " + failures.size() + " of " + cases + " cases broke the contract");
                failures.stream().limit(10).forEach(f -> sb.append("\n  case ").append(f.index).append(": ").append(f.what));
                Assertions.fail(sb.toString());
            }
            return this;
        }

        /** Fails unless some cases were accepted and some refused: the mutations reach both. */
        public Result assertReachesBoth() {
            Assertions.assertTrue(parsed > 0, name + ": no mutated case parsed; the fuzzer tries nothing but errors");
            Assertions.assertTrue(refused > 0, name + ": no mutated case was refused; the fuzzer never reaches the reader's checks");
            return this;
        }
    }

    private Fuzz() {}

    /** The number of cases: the system property {@code omomi.fuzz.cases}, else {@code ci}. */
    public static long cases(long ci) {
        return Long.getLong("omomi.fuzz.cases", ci);
    }

    /** The seed: the system property {@code omomi.fuzz.seed}, else {@code fallback}. */
    public static long seed(long fallback) {
        return Long.getLong("omomi.fuzz.seed", fallback);
    }

    /**
     * Runs {@code cases} mutations of {@code valid} through {@code reader}. The valid inputs
     * themselves must parse (case −1, −2, …), so the reader under test is the one that works.
     */
    public static Result run(String name, List<byte[]> valid, Mutator mutator, long cases, String where, Reader reader) {
        return run(name, valid, mutator, cases, where, TIME_BOUND_S * 1000, reader);
    }

    /** As {@link #run(String, List, Mutator, long, String, Reader)}, with the time bound of one case in milliseconds. */
    public static Result run(String name, List<byte[]> valid, Mutator mutator, long cases, String where, long boundMillis,
                             Reader reader) {
        return run(name, valid, mutator, cases, where, boundMillis, OMOMI_REFUSAL, reader);
    }

    /** omomi's refusal: an {@link IllegalArgumentException} itself, or one of omomi's own subclasses. */
    public static final java.util.function.Predicate<Throwable> OMOMI_REFUSAL = t -> t.getClass() == IllegalArgumentException.class
            || (t instanceof IllegalArgumentException && t.getClass().getName().startsWith("org.omomi."));

    /**
     * As {@link #run(String, List, Mutator, long, String, Reader)} for a reader whose refusals are of
     * another type ({@code refusal} says which; the prediction server's 400 answers, say), still one
     * bounded line that names {@code where}.
     */
    public static Result run(String name, List<byte[]> valid, Mutator mutator, long cases, String where, long boundMillis,
                             java.util.function.Predicate<Throwable> refusal, Reader reader) {
        String only = System.getProperty("omomi.fuzz.only");
        org.junit.jupiter.api.Assumptions.assumeTrue(only == null || name.matches(only), () -> name + " is not in omomi.fuzz.only=" + only);
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-" + name);
            t.setDaemon(true);
            return t;
        });
        List<Failure> failures = new ArrayList<>();
        long parsed = 0;
        long refused = 0;
        long start = System.nanoTime();
        try {
            for (int v = 0; v < valid.size(); v++) {
                String f = one(worker, reader, valid.get(v), where, boundMillis, refusal);
                if (f != null) {
                    Assertions.fail(name + ": valid input " + v + " does not read: " + f);
                }
            }
            for (long i = 0; i < cases; i++) {
                byte[] input = mutator.mutate(valid, i);
                String f = one(worker, reader, input, where, boundMillis, refusal);
                if (f == null) {
                    parsed++;
                } else if (f.equals(REFUSED)) {
                    refused++;
                } else {
                    failures.add(new Failure(i, f));
                    keep(name, i, input);
                    if (f.startsWith("hang")) {
                        break; // the worker is stuck; the rest of the run would wait on it
                    }
                    if (failures.size() >= 1000) {
                        break;
                    }
                }
            }
        } finally {
            worker.shutdownNow();
        }
        Result r = new Result(name, parsed + refused + failures.size(), parsed, refused, failures, (System.nanoTime() - start) / 1e9);
        String line = String.format(java.util.Locale.ROOT, "fuzz %s: %d cases, %d parsed, %d refused, %d failures, %.1f s",
                name, r.cases, r.parsed, r.refused, failures.size(), r.seconds);
        System.out.println(line);
        try {
            Path summary = Path.of("target", "fuzz-summary.txt");
            Files.createDirectories(summary.getParent());
            Files.writeString(summary, line + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the summary is a convenience; the result is in the test's outcome
        }
        return r;
    }

    private static final String REFUSED = "refused";

    /** Null when parsed, {@link #REFUSED} when refused the omomi way, else what went wrong. */
    private static String one(ExecutorService worker, Reader reader, byte[] input, String where, long boundMillis,
                              java.util.function.Predicate<Throwable> refusal) {
        Future<String> f = worker.submit(() -> {
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = mx.getCurrentThreadAllocatedBytes();
            String outcome;
            try {
                reader.read(input);
                outcome = null;
            } catch (Throwable t) {
                outcome = judge(t, where, refusal);
            }
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            long bound = ALLOC_PER_BYTE * input.length + (ALLOC_SLACK_MIB << 20);
            if (allocated > bound) {
                return "allocated " + (allocated >> 20) + " MiB for " + input.length + " input bytes (bound " + (bound >> 20) + " MiB)"
                        + (outcome == null ? "" : "; then " + outcome);
            }
            return outcome;
        });
        try {
            return f.get(boundMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            return "hang: still running after " + boundMillis + " ms";
        } catch (ExecutionException e) {
            return "harness: " + e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static String judge(Throwable t, String where, java.util.function.Predicate<Throwable> refusal) {
        boolean ours = refusal.test(t);
        String m = t.getMessage();
        if (!ours) {
            return t.getClass().getName() + ": " + firstLine(m) + " at " + top(t);
        }
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName() + " without a message at " + top(t);
        }
        if (m.indexOf('\n') >= 0 || m.indexOf('\r') >= 0) {
            return "message of more than one line: " + firstLine(m) + " … at " + top(t);
        }
        if (m.length() > MAX_MESSAGE) {
            return "message of " + m.length() + " characters: " + m.substring(0, 120) + "… at " + top(t);
        }
        if (where != null && !m.contains(where)) {
            return "message does not say where ('" + where + "'): " + m + " at " + top(t);
        }
        return REFUSED;
    }

    private static String firstLine(String m) {
        if (m == null) {
            return "null";
        }
        String s = m.lines().findFirst().orElse("");
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    private static String top(Throwable t) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().startsWith("org.omomi.") && !e.getClassName().startsWith("org.omomi.testing.")) {
                return e.getClassName().substring(e.getClassName().lastIndexOf('.') + 1) + "." + e.getMethodName() + ":" + e.getLineNumber();
            }
        }
        StackTraceElement[] s = t.getStackTrace();
        return s.length > 0 ? s[0].toString() : "?";
    }

    private static void keep(String name, long index, byte[] input) {
        try {
            Path dir = Path.of("target", "fuzz-failures", name.replaceAll("[^A-Za-z0-9._-]", "_"));
            Files.createDirectories(dir);
            Files.write(dir.resolve(index + ".bin"), input);
        } catch (IOException e) {
            // keeping the input is a convenience; the case number reproduces it
        }
    }

    /** Writes {@code input} to {@code file} (replacing it), for readers that take a path. */
    public static Path write(Path file, byte[] input) throws IOException {
        return Files.write(file, input);
    }
}
