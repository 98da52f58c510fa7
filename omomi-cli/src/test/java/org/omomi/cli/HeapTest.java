package org.omomi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omomi.tensor.Rng;

/**
 * The launcher's heap: no fixed ceiling (it grows with the data and the model, up to a share of
 * the machine's memory), and a heap that does run out ends in one line and exit 1, not a stack
 * trace.
 */
class HeapTest {

    @TempDir
    Path dir;

    /** The {@code jvm_flags=(...)} line of the ./omomi launcher, as arguments. */
    static List<String> launcherFlags() throws IOException {
        Matcher m = Pattern.compile("(?m)^jvm_flags=\\((.*)\\)$").matcher(Files.readString(Path.of("..", "omomi")));
        assertTrue(m.find(), "./omomi has a jvm_flags=(...) line");
        return Arrays.asList(m.group(1).trim().split("\\s+"));
    }

    @Test
    void theLauncherSetsNoFixedMaximumHeap() throws IOException {
        List<String> flags = launcherFlags();
        assertFalse(flags.stream().anyMatch(f -> f.startsWith("-Xmx") || f.startsWith("-XX:MaxHeapSize")), flags.toString());
        assertTrue(flags.stream().anyMatch(f -> f.startsWith("-XX:MaxRAMPercentage=")), flags.toString());
        assertTrue(flags.contains("-Xmn64m"), "the young generation is bounded, so the heap follows what stays alive: " + flags);
    }

    @Test
    void aHeapThatRunsOutEndsInOneLine() throws IOException, InterruptedException {
        // 100,000 rows × 12 numeric columns: ~10 MB of CSV, far more than a 24 MB heap holds once parsed.
        StringBuilder csv = new StringBuilder("y");
        for (int c = 0; c < 12; c++) {
            csv.append(",x").append(c);
        }
        csv.append('\n');
        Rng rng = new Rng(1);
        for (int r = 0; r < 100_000; r++) {
            csv.append(rng.nextInt(2));
            for (int c = 0; c < 12; c++) {
                csv.append(',').append(String.format(Locale.ROOT, "%.6f", rng.nextGaussian()));
            }
            csv.append('\n');
        }
        Files.writeString(dir.resolve("big.csv"), csv);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(launcherFlags());
        cmd.addAll(List.of("-Xmx24m", "-Xmn4m", "-cp", System.getProperty("java.class.path"), Omomi.class.getName(),
                "train", "--data", "big.csv", "--target", "y", "--epochs", "1", "--out", "run"));
        Path err = dir.resolve(".err");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(dir.resolve(".out").toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "finished");
        List<String> lines = Files.readString(err).lines().filter(l -> !l.startsWith("WARNING: Using incubator")).toList();
        assertEquals(1, p.exitValue(), String.join("\n", lines));
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("omomi: out of memory: ") && lines.get(0).contains("OMOMI_JAVA_OPTS=-Xmx"), lines.get(0));
    }
}
