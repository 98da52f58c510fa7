package org.omomi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.omomi.train.Checkpoint;
import org.omomi.train.RunLog;
import org.omomi.train.Trainer;

/**
 * SIGKILL at seeded random points of {@code omomi train}, {@code omomi ctr train} and
 * {@code omomi recommend train}, each in its own JVM, then {@code --resume}, until the run ends:
 * the final weights are bit for bit those of a run that was never stopped, and so is the run log.
 *
 * <p>Every atomic write of the killed runs pauses with half its bytes in the temporary file
 * (an injected fault, {@code -Domomi.test.writePauseMillis}), so that a kill "during a checkpoint
 * write" — a temporary file beside the checkpoints when the process dies — is common and can also
 * be aimed at. A seed picks, for each of one or two kills, either a random delay after the start or
 * the n-th checkpoint write (n = 1 to 3: the first one leaves no checkpoint, and resuming starts the
 * run again). After every kill: the checkpoints that exist load (none is ever half-written), every
 * line of history.jsonl is a whole run-log entry.
 */
class CrashResumeTest {

    private static final int PAUSE_MS = 60;

    @TempDir
    static Path dir;

    private static final List<String> SUMMARY = new ArrayList<>();

    @BeforeAll
    static void data() throws IOException {
        TrainingRuns.writeData(dir);
    }

    @AfterAll
    static void report() {
        // The figures docs/robustness.md quotes.
        System.out.println("crash-resume: " + String.join("; ", SUMMARY));
    }

    static List<Path> temporaryFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (var s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    @ParameterizedTest(name = "{0}, kill seed {1}")
    @CsvSource({"train, 1", "train, 2", "train, 3", "ctr, 1", "ctr, 2", "recommend, 1", "recommend, 2"})
    void killedAtRandomPointsAndResumedEndsBitForBitAsAnUninterruptedRun(String kind, long seed) throws Exception {
        TrainingRuns.Reference straight = TrainingRuns.reference(dir, kind);
        Path run = dir.resolve(kind + "-killed-" + seed);
        Path checkpoints = run.resolve("checkpoints");
        SplittableRandom rng = new SplittableRandom(seed);
        int kills = 1 + rng.nextInt(2);
        int duringWrite = 0;
        int withoutCheckpoint = 0;
        int ranOut = 0;
        int beforeStart = 0;
        List<String> args = TrainingRuns.fresh(dir, kind, run);
        boolean finished = false;
        for (int k = 0; k < kills && !finished; k++) {
            Path log = dir.resolve(run.getFileName() + "-" + k + ".log");
            Process p = ChildJvm.start(List.of("-Domomi.test.writePauseMillis=" + PAUSE_MS), args, log);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            if (rng.nextBoolean()) { // aimed at the n-th checkpoint write
                int n = 1 + rng.nextInt(3);
                boolean writing = false;
                while (n > 0 && p.isAlive() && System.nanoTime() < deadline) {
                    boolean now = !temporaryFiles(checkpoints).isEmpty();
                    if (now && !writing && --n == 0) {
                        break;
                    }
                    writing = now;
                    Thread.sleep(1);
                }
            } else { // at a random moment of the run
                Thread.sleep(rng.nextLong(Math.max(1, straight.millis())));
            }
            if (!p.isAlive()) {
                finished = p.exitValue() == 0;
                assertTrue(finished, "the run failed: " + ChildJvm.output(log));
                ranOut++;
                break;
            }
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));

            boolean caught = !temporaryFiles(checkpoints).isEmpty();
            duringWrite += caught ? 1 : 0;
            for (String name : List.of("last.safetensors", "best.safetensors")) {
                Path c = checkpoints.resolve(name);
                if (Files.exists(c)) {
                    Checkpoint.load(c); // whole: the kill left the previous version or the new one, never a part
                }
            }
            withoutCheckpoint += Files.exists(Trainer.lastCheckpoint(run)) ? 0 : 1;
            Path history = run.resolve("history.jsonl");
            if (Files.exists(history)) {
                String text = Files.readString(history);
                assertTrue(text.isEmpty() || text.endsWith("\n"), "history.jsonl ends with a whole line");
                text.lines().forEach(RunLog::parse);
            }
            if (Files.isRegularFile(run.resolve(TrainingRuns.configFile(kind)))) {
                args = TrainingRuns.resume(kind, run);
            } else { // killed before the run had begun: nothing was trained, so the command starts again
                deleteTree(run);
                beforeStart++;
                args = TrainingRuns.fresh(dir, kind, run);
            }
        }
        if (!finished) {
            Path log = dir.resolve(run.getFileName() + "-last.log");
            assertEquals(0, ChildJvm.run(List.of(), args, log, 300), ChildJvm.output(log));
        }

        TrainingRuns.assertSameAsReference(straight, run, "after " + kills + " kills");
        assertEquals(List.of(), temporaryFiles(checkpoints), "the resumed run cleared the temporary files of killed writes");
        assertEquals(List.of(), temporaryFiles(run));
        synchronized (SUMMARY) {
            SUMMARY.add(String.format(Locale.ROOT, "%s seed %d: %d kills (%d during a checkpoint write, %d before the first checkpoint,"
                    + " %d before the run began), %d finished before its kill", kind, seed, kills - ranOut, duringWrite, withoutCheckpoint,
                    beforeStart, ranOut));
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
