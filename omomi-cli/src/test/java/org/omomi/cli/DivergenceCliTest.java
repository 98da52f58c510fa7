package org.omomi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.train.Checkpoint;
import org.omomi.train.RunLog;
import org.omomi.train.Trainer;

/**
 * {@code omomi train} with a learning rate that makes the loss explode: gradient descent on a
 * least-squares fit with a step beyond 2/λ_max grows the error geometrically, so the run is fine
 * for a few epochs and then overflows. The command stops with one line naming the step and the
 * checkpoint kept, exits 1, writes no model, and the checkpoint left is finite, loadable and
 * resumable.
 */
class DivergenceCliTest {

    @TempDir
    Path dir;

    /** y = 2a − b + c/2 + noise: 400 rows, 9 batches of 32 an epoch once the test and validation rows are held out. */
    private static Path regression(Path file) throws IOException {
        Rng rng = new Rng(1);
        StringBuilder sb = new StringBuilder("a,b,c,y\n");
        for (int i = 0; i < 400; i++) {
            double a = rng.nextGaussian();
            double b = rng.nextGaussian();
            double c = rng.nextGaussian();
            sb.append(String.format(Locale.ROOT, "%.3f,%.3f,%.3f,%.3f%n", a, b, c, 2 * a - b + 0.5 * c + 0.1 * rng.nextGaussian()));
        }
        Files.writeString(file, sb.toString());
        return file;
    }

    @Test
    void anExplodingLossStopsWithOneLineAndKeepsTheLastGoodCheckpoint() throws IOException {
        Path csv = regression(dir.resolve("reg.csv"));
        Path run = dir.resolve("run");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Omomi.run(new String[] {"train", "--model", "logreg", "--data", csv.toString(), "--target", "y", "--solver", "minibatch",
            "--optimizer", "sgd", "--lr", "2.5", "--schedule", "none", "--batch-size", "32", "--epochs", "30", "--checkpoint-every", "5",
            "--patience", "0", "--out", run.toString()}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(1, code, err.toString());
        String line = err.toString().strip();
        assertFalse(line.contains("\n"), "one line: " + line);
        Matcher m = Pattern.compile("omomi: step (\\d+) \\(epoch (\\d+), batch (\\d+)\\): the loss is (Infinity|NaN).*; the last good "
                + "checkpoint is kept: (.*); train again with a lower --lr than 2\\.5").matcher(line);
        assertTrue(m.matches(), line);
        long step = Long.parseLong(m.group(1));
        assertTrue(step > 9, "diverged after the first epoch: " + line);
        assertEquals(Trainer.lastCheckpoint(run).toString(), m.group(5));
        assertFalse(Files.exists(run.resolve("model.safetensors")), "no model is written from a diverged run");

        Checkpoint kept = Checkpoint.load(Trainer.lastCheckpoint(run));
        assertTrue(kept.step() < step && kept.step() >= step - 5, "the checkpoint before step " + step + ": " + kept.step());
        for (Tensor t : kept.model().values()) {
            for (float f : t.toArray()) {
                assertTrue(Float.isFinite(f), "only finite weights in the kept checkpoint");
            }
        }
        for (String l : Files.readAllLines(run.resolve("history.jsonl"))) {
            RunLog.parse(l); // whole lines of standard JSON
        }
        // Resumed as it is, it diverges at the same step: the checkpoint is the run's true state.
        StringWriter again = new StringWriter();
        assertEquals(1, Omomi.run(new String[] {"train", "--resume", run.toString()}, new PrintWriter(new StringWriter(), true),
                new PrintWriter(again, true)));
        assertEquals(line, again.toString().strip());
    }
}
