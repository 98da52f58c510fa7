package org.omomi.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.omomi.nn.Activation;
import org.omomi.nn.Dense;
import org.omomi.nn.Dropout;
import org.omomi.nn.Sequential;
import org.omomi.optim.Adam;
import org.omomi.optim.LrScheduler;
import org.omomi.tensor.Rng;

/**
 * The disk fills up during a training (an injected fault: the atomic writes fail with "No space
 * left on device" once a byte budget is spent, the first failing write cut off midway): training
 * stops with an error naming the file, the checkpoint before is whole, loadable and exactly the
 * state of its step, the run log is whole lines, and once there is space again the run resumes to
 * the weights of a run that never stopped.
 */
class DiskFullTest {

    private static final String FULL = "omomi.test.diskFullAfterBytes";

    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        System.clearProperty(FULL);
    }

    private static Sequential model(long seed) {
        Rng rng = new Rng(seed);
        return new Sequential(new Dense(4, 16, rng), Activation.relu(), new Dropout(0.2f, rng), new Dense(16, 3, rng));
    }

    private static Trainer trainer(Sequential m, Path run, Callback extra) {
        Adam opt = new Adam(m.parameters(), Adam.Options.adam().withLr(0.01));
        Trainer t = new Trainer(m, Head.multiclass(3), opt, LrScheduler.stepDecay(opt, 2, 0.5),
                new Trainer.Options(4, 16, true, 11, 5, 0, 0, false), run);
        return extra == null ? t : t.addCallback(extra);
    }

    /** Fills the disk after step {@code at} with {@code bytes} left, and keeps the weights after every step. */
    private static final class FillDisk implements Callback {
        final long at;
        final long bytes;
        final Map<Long, Map<String, float[]>> weightsAt = new HashMap<>();

        FillDisk(long at, long bytes) {
            this.at = at;
            this.bytes = bytes;
        }

        @Override
        public void onStepEnd(TrainContext c, StepResult r) {
            Map<String, float[]> w = new LinkedHashMap<>();
            c.model().stateDict().forEach((k, v) -> w.put(k, v.toArray()));
            weightsAt.put(c.step(), w);
            if (c.step() == at) {
                System.setProperty(FULL, Long.toString(bytes));
            }
        }
    }

    /** 13 batches an epoch, checkpoints every 5 steps and every epoch; the disk fills at a step, with 0 bytes, some or many left. */
    @ParameterizedTest(name = "full after step {0} with {1} bytes left")
    @CsvSource({"7, 0", "12, 900", "18, 3000", "27, 40000"})
    void aFullDiskStopsTrainingWithTheLastCheckpointWholeAndTheRunResumable(long at, long bytes) throws IOException {
        Path straight = dir.resolve("straight");
        Sequential reference = model(5);
        trainer(reference, straight, null).fit(TrainerTest.blobs(1, 200), TrainerTest.blobs(2, 60));

        Path run = dir.resolve("full");
        Sequential m = model(5);
        FillDisk fill = new FillDisk(at, bytes);
        FileSystemException e = assertThrows(FileSystemException.class,
                () -> trainer(m, run, fill).fit(TrainerTest.blobs(1, 200), TrainerTest.blobs(2, 60)));
        assertTrue(Path.of(e.getFile()).startsWith(run), "names a file of the run: " + e.getFile());
        assertTrue(e.getReason().startsWith("cannot be written: No space left on device"), e.getReason());
        System.clearProperty(FULL);

        Checkpoint kept = Checkpoint.load(Trainer.lastCheckpoint(run));
        assertTrue(kept.step() > at - 5 && kept.step() < 52, "the checkpoint written last before the disk was full: step " + kept.step());
        Map<String, float[]> then = fill.weightsAt.get(kept.step());
        for (Map.Entry<String, float[]> w : then.entrySet()) {
            assertArrayEquals(w.getValue(), kept.model().get(w.getKey()).toArray(), "the kept checkpoint is its step's state: " + w.getKey());
        }
        List<String> lines = Files.readAllLines(RunLogWriter.file(run));
        assertTrue(lines.size() >= kept.historyLines(), "the run log has the lines the checkpoint knows");
        lines.forEach(RunLog::parse);
        try (var files = Files.walk(run)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList(), "no temporary file left");
        }

        Sequential resumed = model(9);
        trainer(resumed, run, null).resume(TrainerTest.blobs(1, 200), TrainerTest.blobs(2, 60), kept);
        for (String k : reference.stateDict().keySet()) {
            assertArrayEquals(reference.stateDict().get(k).toArray(), resumed.stateDict().get(k).toArray(), k + " after resuming");
        }
        assertEquals(Files.readString(RunLogWriter.file(straight)), Files.readString(RunLogWriter.file(run)));
        assertFalse(Files.exists(run.resolve("checkpoints").resolve(".tmp")));
    }
}
