package org.omomi.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.omomi.io.Safetensors;
import org.omomi.tensor.Tensor;

/**
 * The three training commands the crash and disk tests interrupt — {@code omomi train},
 * {@code omomi ctr train} and {@code omomi recommend train} — on small generated data, with the
 * runs that were never interrupted to compare with (one per data folder and command).
 */
final class TrainingRuns {

    private static final Map<Path, Reference> REFERENCES = new HashMap<>();

    private TrainingRuns() {}

    /** An uninterrupted run: its folder and how long it took. */
    record Reference(Path run, long millis) {}

    /** Writes clicks.csv (train), log.csv (ctr) and inter.csv (recommend) into {@code dir}. */
    static void writeData(Path dir) throws IOException {
        TrainCliTest.clicks(dir.resolve("clicks.csv"));
        quiet("ctr", "generate", "--rows", "6000", "--seed", "2", "--out", dir.resolve("log.csv").toString());
        quiet("recommend", "generate", "--users", "200", "--items", "80", "--per-user", "15", "--seed", "2",
                "--out", dir.resolve("inter.csv").toString());
    }

    private static void quiet(String... args) {
        StringWriter err = new StringWriter();
        int code = Omomi.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
    }

    /** The command that starts a run of {@code kind} (train, ctr, recommend) on the data in {@code data}, into {@code run}. */
    static List<String> fresh(Path data, String kind, Path run) {
        String out = run.toString();
        return switch (kind) {
            case "train" -> List.of("train", "--model", "mlp", "--hidden", "16", "--data", data.resolve("clicks.csv").toString(),
                    "--target", "clicked", "--epochs", "5", "--batch-size", "32", "--optimizer", "adam", "--lr", "0.01", "--seed", "3",
                    "--checkpoint-every", "9", "--patience", "2", "--out", out);
            case "ctr" -> List.of("ctr", "train", "--data", data.resolve("log.csv").toString(), "--model", "fm", "--hash-buckets", "256",
                    "--epochs", "3", "--batch-size", "128", "--checkpoint-every", "11", "--seed", "3", "--out", out);
            case "recommend" -> List.of("recommend", "train", "--data", data.resolve("inter.csv").toString(), "--model", "bpr",
                    "--epochs", "6", "--batch-size", "128", "--patience", "2", "--seed", "3", "--out", out);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** The command that resumes a run of {@code kind}. */
    /** The file a run of {@code kind} writes before its first step: without it there is nothing to resume. */
    static String configFile(String kind) {
        return switch (kind) {
            case "train" -> "config.json";
            case "ctr" -> "ctr.json";
            default -> "recommend-train.json";
        };
    }

    static List<String> resume(String kind, Path run) {
        return switch (kind) {
            case "train" -> List.of("train", "--resume", run.toString());
            case "ctr" -> List.of("ctr", "train", "--resume", run.toString());
            default -> List.of("recommend", "train", "--resume", run.toString());
        };
    }

    /** The uninterrupted run of {@code kind} on the data in {@code data}, made on first use (in its own JVM). */
    static synchronized Reference reference(Path data, String kind) throws IOException, InterruptedException {
        Path run = data.resolve(kind + "-straight");
        Reference r = REFERENCES.get(run);
        if (r == null) {
            Path log = data.resolve(kind + "-straight.log");
            long t0 = System.nanoTime();
            assertEquals(0, ChildJvm.run(List.of(), fresh(data, kind, run), log, 300), ChildJvm.output(log));
            r = new Reference(run, (System.nanoTime() - t0) / 1_000_000);
            REFERENCES.put(run, r);
        }
        return r;
    }

    /** Asserts that {@code run} ended with the reference's weights, bit for bit, and its run log. */
    static void assertSameAsReference(Reference want, Path run, String what) throws IOException {
        Map<String, Tensor> w = Safetensors.read(want.run().resolve("model.safetensors")).tensors();
        Map<String, Tensor> g = Safetensors.read(run.resolve("model.safetensors")).tensors();
        assertEquals(w.keySet(), g.keySet());
        for (String name : w.keySet()) {
            assertArrayEquals(w.get(name).toArray(), g.get(name).toArray(), name + " differs " + what);
        }
        assertEquals(Files.readString(want.run().resolve("history.jsonl")), Files.readString(run.resolve("history.jsonl")),
                "the run log is the uninterrupted run's " + what);
    }
}
