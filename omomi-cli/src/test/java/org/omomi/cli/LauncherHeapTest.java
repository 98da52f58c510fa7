package org.omomi.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's heap: no fixed ceiling (it grows with the data and the model, up to a share of
 * the machine's memory). What happens when it runs out anyway is {@link HeapTest}'s.
 */
class LauncherHeapTest {

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
}
