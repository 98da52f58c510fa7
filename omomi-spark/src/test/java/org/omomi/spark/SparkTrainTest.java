package org.omomi.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omomi.ctr.ClickGenerator;
import org.omomi.ctr.LogFormat;
import org.omomi.ctr.Progress;
import org.omomi.io.Json;
import org.omomi.io.SavedModel;
import org.omomi.tensor.Rng;

/** The spark-submit main class writes the run folders of {@code omomi train} and {@code omomi ctr train}. */
class SparkTrainTest {

    static String run(String... args) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(0, SparkTrain.run(LocalSpark.context(), args, new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void trainWritesAnOmomiTrainRunFolder(@TempDir Path tmp) throws IOException {
        StringBuilder csv = new StringBuilder("a,b,c,label\n");
        Rng rng = new Rng(4);
        for (int i = 0; i < 400; i++) {
            double a = rng.nextGaussian();
            double b = rng.nextGaussian();
            csv.append(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%.4f,%s%n", a, b, rng.nextGaussian(), a + b > 0 ? "yes" : "no"));
        }
        Files.writeString(tmp.resolve("t.csv"), csv);
        Path runDir = tmp.resolve("run");
        String said = run("train", "--data", tmp.resolve("t.csv").toString(), "--target", "label", "--hidden", "8", "--epochs", "3",
                "--batch-size", "32", "--lr", "0.01", "--partitions", "2", "--checkpoint-every", "10",
                "--checkpoint-dir", tmp.resolve("ck").toUri().toString(), "--out", runDir.toString());
        assertTrue(said.contains("2 partitions"), said);
        for (String f : new String[] {"config.json", "model.json", "model.safetensors", "metrics.json", "history.jsonl"}) {
            assertTrue(Files.isRegularFile(runDir.resolve(f)), f);
        }
        assertTrue(Files.isRegularFile(tmp.resolve("ck").resolve("last.safetensors")));
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = (Map<String, Object>) Json.parse(Files.readString(runDir.resolve("metrics.json")));
        assertTrue(((Number) metrics.get("test_accuracy")).doubleValue() > 0.75, "test accuracy (a coin: 0.5) " + metrics.get("test_accuracy"));
        assertEquals(1, SavedModel.open(runDir).head().outputs(), "a yes/no target: a binary head, one logit");
    }

    @Test
    void ctrWritesAClickRunFolderByAveraging(@TempDir Path tmp) throws IOException {
        Path log = tmp.resolve("clicks.tsv");
        ClickGenerator.write(log, new ClickGenerator.Options(6_000, 5, LogFormat.CRITEO, 1.0), Progress.NONE);
        Path runDir = tmp.resolve("run");
        String said = run("ctr", "--data", log.toString(), "--model", "lr", "--hash-buckets", "4096", "--epochs", "2", "--mode", "average",
                "--local-steps", "4", "--partitions", "2", "--out", runDir.toString());
        assertTrue(said.contains("held-out AUC"), said);
        assertTrue(Files.isRegularFile(runDir.resolve("ctr.json")) && Files.isRegularFile(runDir.resolve("metrics.json")));
    }

    @Test
    void badFlagsGetOneLine() {
        Exception e = assertThrows(IllegalArgumentException.class, () -> run("train", "--data", "x.csv", "--bogus", "1", "--out", "/tmp/x"));
        assertEquals("unknown flag --bogus", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> run("train", "--mode", "fast"));
        assertTrue(e.getMessage().startsWith("--mode must be sync or average"), e.getMessage());
    }
}
