package org.omomi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omomi.io.Json;

/**
 * Data larger than the heap of the JVM that trains on it (a forked JVM with a small
 * {@code -Xmx}): it trains, streamed, or is refused at once with one line that says what to
 * change — never an OutOfMemoryError's stack trace.
 * <ul>
 * <li>{@code omomi train} holds a CSV in memory: a 40 MiB file with 32 MiB of heap is refused
 *     before it is read, naming the heap it needs and the flag that gives it;</li>
 * <li>{@code omomi ctr train} streams a log: with 24 MiB of heap and a 27 MiB log its default
 *     shuffle block does not fit and the refusal names the block that does; with that block it
 *     trains to a useful AUC;</li>
 * <li>{@code omomi recommend train} holds its interactions in memory: where no estimate stands
 *     guard, running out of heap still ends in one line with the heap and what to lower.</li>
 * </ul>
 */
class HeapTest {

    @TempDir
    Path dir;

    private String failure(List<String> jvm, List<String> args, String name) throws Exception {
        Path log = dir.resolve(name + ".log");
        assertEquals(1, ChildJvm.run(jvm, args, log, 300), ChildJvm.output(log));
        String out = ChildJvm.output(log);
        assertFalse(out.contains("OutOfMemoryError") || out.contains("\tat "), "no stack trace, no OutOfMemoryError: " + out);
        List<String> errors = out.lines().filter(l -> l.startsWith("omomi: ")).toList();
        assertEquals(1, errors.size(), out);
        System.out.println("heap, " + name + " " + jvm + ": " + errors.get(0)); // the lines docs/robustness.md quotes
        return errors.get(0);
    }

    @Test
    void aCsvLargerThanTheHeapIsRefusedBeforeItIsRead() throws Exception {
        Path csv = dir.resolve("big.csv");
        SplittableRandom rng = new SplittableRandom(4);
        try (BufferedWriter w = Files.newBufferedWriter(csv)) {
            w.write("age,interest,frequency,device,clicked\n");
            while (Files.size(csv) < 40L << 20) {
                for (int i = 0; i < 10_000; i++) {
                    w.write(String.format(Locale.ROOT, "%.1f,%.3f,%d,%s,%d%n", 18 + 50 * rng.nextDouble(), rng.nextDouble(), rng.nextInt(10),
                            rng.nextBoolean() ? "mobile" : "desktop", rng.nextInt(2)));
                }
                w.flush();
            }
        }
        Path run = dir.resolve("run");
        long t0 = System.nanoTime();
        String line = failure(List.of("-Xmx32m"), List.of("train", "--model", "logreg", "--data", csv.toString(), "--target", "clicked",
                "--out", run.toString()), "train");
        assertTrue(line.matches("omomi: " + Pattern.quote(csv.toString()) + ": training reads the whole table into memory, about [\\d,]+ MiB of heap"
                + " for this data, and this JVM may use \\d+ MiB; give it more with -Xmx\\dg \\(\\./omomi: OMOMI_JAVA_OPTS=-Xmx\\dg\\).*"), line);
        assertTrue(System.nanoTime() - t0 < 60_000_000_000L, "refused at once, not after parsing");
        assertFalse(Files.exists(run), "nothing written");
    }

    @Test
    void aClickLogLargerThanTheHeapTrainsStreamedWithTheShuffleBlockTheRefusalNames() throws Exception {
        Path log = dir.resolve("clicks.csv");
        StringWriter err = new StringWriter();
        assertEquals(0, Omomi.run(new String[] {"ctr", "generate", "--rows", "450000", "--seed", "5", "--out", log.toString()},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)), err.toString());
        long size = Files.size(log);
        assertTrue(size > 24L << 20, "the log (" + size + " bytes) is larger than the heap");
        List<String> heap = List.of("-Xmx24m", "-XX:+UseSerialGC");
        List<String> train = List.of("ctr", "train", "--data", log.toString(), "--model", "lr", "--epochs", "1", "--batch-size", "4096",
                "--out", dir.resolve("run").toString());
        String line = failure(heap, train, "ctr-default-block");
        Matcher m = Pattern.compile("omomi: " + Pattern.quote(log.toString()) + ": training needs about [\\d,]+ MiB of heap \\(shuffle blocks of "
                + "262,144 rows: .*\\), and this JVM has [\\d,]+ MiB left of [\\d,]+ MiB; use --shuffle-block (\\d+), or give it more with "
                + "OMOMI_JAVA_OPTS=-Xmx\\dg").matcher(line);
        assertTrue(m.matches(), line);
        assertFalse(Files.exists(dir.resolve("run")), "refused before the run folder was made");

        List<String> smaller = new java.util.ArrayList<>(train);
        smaller.addAll(List.of("--shuffle-block", m.group(1)));
        Path out = dir.resolve("ctr-streamed.log");
        assertEquals(0, ChildJvm.run(heap, smaller, out, 300), ChildJvm.output(out));
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("run").resolve("metrics.json")));
        assertTrue(((Number) metrics.get("auc")).doubleValue() > 0.75, "learned from the streamed log: " + metrics.get("auc"));
        assertEquals(450_000L, ((Number) metrics.get("rows")).longValue());
    }

    @Test
    void runningOutOfHeapAnywhereElseIsStillOneLine() throws Exception {
        Path data = dir.resolve("interactions.csv");
        StringWriter err = new StringWriter();
        assertEquals(0, Omomi.run(new String[] {"recommend", "generate", "--users", "30000", "--items", "2000", "--per-user", "40",
            "--out", data.toString()}, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)), err.toString());
        String line = failure(List.of("-Xmx24m", "-XX:+UseSerialGC"), List.of("recommend", "train", "--data", data.toString(), "--epochs", "1",
                "--out", dir.resolve("rec").toString()), "recommend");
        assertTrue(line.matches("omomi: out of memory: this JVM may use \\d+ MiB of heap; give it more with OMOMI_JAVA_OPTS=-Xmx\\d+g, or use "
                + "less data at once .*"), line);
    }
}
