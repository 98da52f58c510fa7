package org.omomi.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omomi.data.Csv;
import org.omomi.io.Json;
import org.omomi.io.Safetensors;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/** The train, eval and predict commands: a full round trip, bad input, and resuming after SIGKILL. */
class TrainCliTest {

    @TempDir
    static Path dir;
    static Path csv;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Omomi.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    /** Ad clicks: the article's three features plus a device; interest match matters most. */
    @BeforeAll
    static void writeData() throws IOException {
        csv = clicks(dir.resolve("clicks.csv"));
    }

    /** Writes the ad-click CSV to {@code file}; returns it. */
    static Path clicks(Path file) throws IOException {
        Rng rng = new Rng(7);
        StringBuilder sb = new StringBuilder("age,interest,frequency,device,clicked\n");
        for (int i = 0; i < 1500; i++) {
            double age = 18 + 50 * rng.nextDouble();
            double interest = rng.nextDouble();
            double freq = Math.floor(10 * rng.nextDouble());
            String device = rng.nextDouble() < 0.6 ? "mobile" : "desktop";
            double z = -0.01 * (age - 40) + 4 * (interest - 0.5) - 0.15 * (freq - 5) + (device.equals("mobile") ? 0.3 : 0);
            int click = rng.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
            String interestText = i % 97 == 0 ? "" : String.format(java.util.Locale.ROOT, "%.3f", interest); // some missing
            sb.append(String.format(java.util.Locale.ROOT, "%.1f,%s,%.0f,%s,%d%n", age, interestText, freq, device, click));
        }
        Files.writeString(file, sb.toString());
        return file;
    }

    @Test
    void trainEvalAndPredictOnACsvFile() throws IOException {
        Path out = dir.resolve("run-csv");
        Run t = run("train", "--model", "mlp", "--hidden", "16", "--data", csv.toString(), "--target", "clicked",
                "--epochs", "8", "--batch-size", "32", "--optimizer", "adam", "--lr", "0.01", "--seed", "3", "--out", out.toString());
        assertEquals(0, t.code(), t.err());
        for (String f : List.of("config.json", "model.json", "preprocessing.json", "model.safetensors", "metrics.json",
                "history.jsonl", "checkpoints/last.safetensors", "checkpoints/best.safetensors")) {
            assertTrue(Files.exists(out.resolve(f)), f + " missing");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = (Map<String, Object>) Json.parse(Files.readString(out.resolve("metrics.json")));
        for (String k : List.of("test_accuracy", "test_loss", "test_roc_auc", "train_loss", "train_accuracy", "val_loss",
                "train_samples_per_second", "wall_time_s")) {
            assertTrue(metrics.containsKey(k), k + " missing from " + metrics.keySet());
        }
        assertTrue((Double) metrics.get("test_roc_auc") > 0.7, "the model learned nothing: " + metrics);
        assertEquals(8, Files.readAllLines(out.resolve("history.jsonl")).size());

        Run e = run("eval", out.toString());
        assertEquals(0, e.code(), e.err());
        @SuppressWarnings("unchecked")
        Map<String, Object> evaluated = (Map<String, Object>) Json.parse(e.out());
        assertEquals((Double) metrics.get("test_accuracy"), (Double) evaluated.get("accuracy"), 1e-12);

        Path in = dir.resolve("to-predict.csv");
        Files.writeString(in, "age,interest,frequency,device\n30,0.95,1,mobile\n60,0.05,9,desktop\n45,,5,tablet\n");
        Path predicted = dir.resolve("predicted.csv");
        Run p = run("predict", out.toString(), "--input", in.toString(), "--output", predicted.toString());
        assertEquals(0, p.code(), p.err());
        Csv.Table table = Csv.read(predicted);
        assertEquals(List.of("age", "interest", "frequency", "device", "prediction", "probability"), table.header());
        assertEquals(3, table.rows().size());
        assertEquals("30", table.rows().get(0)[0], "input order kept");
        double likely = Double.parseDouble(table.rows().get(0)[5]);
        double unlikely = Double.parseDouble(table.rows().get(1)[5]);
        assertTrue(likely > unlikely, "a strong interest match should click more: " + likely + " vs " + unlikely);
    }

    @Test
    void logisticRegressionWeightsLoadByPyTorchNames() throws IOException {
        Path out = dir.resolve("run-logreg");
        Run t = run("train", "--model", "logreg", "--data", csv.toString(), "--target", "clicked", "--epochs", "3",
                "--optimizer", "sgd", "--lr", "0.1", "--out", out.toString());
        assertEquals(0, t.code(), t.err());
        Map<String, Tensor> w = Safetensors.read(out.resolve("model.safetensors")).tensors();
        assertEquals(List.of("0.weight", "0.bias"), List.copyOf(w.keySet()));
        assertArrayEquals(new int[] {1, 5}, w.get("0.weight").shape()); // 3 numbers + 2 devices → 1 logit
        @SuppressWarnings("unchecked")
        Map<String, Object> model = (Map<String, Object>) Json.parse(Files.readString(out.resolve("model.json")));
        assertEquals("nn.Sequential(nn.Linear(5, 1))", model.get("pytorch"));
    }

    @Test
    void aFolderLeftByAStartKilledBeforeItsFirstFileIsTakenAndOneWithAUsersFileIsNot() throws IOException {
        // A kill in the JVM's first second leaves the folder and half a config.json beside it.
        Path out = Files.createDirectories(dir.resolve("run-killed-at-start"));
        Files.writeString(out.resolve(".config.json.829301.tmp"), "{\"model\": ");
        Run t = run("train", "--model", "logreg", "--data", csv.toString(), "--target", "clicked", "--out", out.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(Files.isRegularFile(out.resolve("model.safetensors")));
        assertFalse(Files.exists(out.resolve(".config.json.829301.tmp")), "the leftover is cleared");

        Path mine = Files.createDirectories(dir.resolve("run-with-notes"));
        Files.writeString(mine.resolve("notes.txt"), "mine");
        assertFailsCleanly(run("train", "--model", "logreg", "--data", csv.toString(), "--target", "clicked", "--out", mine.toString()), 1,
                mine + " already exists and is not an empty folder", null);
        assertEquals("mine", Files.readString(mine.resolve("notes.txt")));
    }

    private static void assertFailsCleanly(Run r, int code, String messagePart, Path mustNotExist) {
        assertEquals(code, r.code(), r.out() + r.err());
        String err = r.err().strip();
        assertTrue(err.startsWith("omomi: "), err);
        assertTrue(err.contains(messagePart), "expected '" + messagePart + "' in: " + err);
        assertFalse(err.contains("\tat org."), "no stack trace without --verbose: " + err);
        if (mustNotExist != null) {
            assertFalse(Files.exists(mustNotExist), mustNotExist + " was left behind");
        }
    }

    @Test
    void badInputGetsOneLineANonZeroExitAndLeavesNothingBehind() throws IOException {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "x,y\n1,0\n2,1\n3,0\nfour,1\n5,0\n");
        Path out = dir.resolve("never");
        assertFailsCleanly(run("train", "--data", bad.toString(), "--target", "y", "--out", out.toString()), 1,
                bad + " line 5, column 'x': 'four' is not a number", out);

        assertFailsCleanly(run("train", "--data", csv.toString(), "--target", "nope", "--out", out.toString()), 1,
                "no column 'nope'", out);
        assertFailsCleanly(run("train", "--model", "resnet9000", "--data", csv.toString(), "--target", "clicked", "--out", out.toString()), 1,
                "unknown model 'resnet9000'", out);
        assertFailsCleanly(run("train", "--data", csv.toString(), "--frobnicate"), 2, "Unknown option: '--frobnicate'", null);
        assertFailsCleanly(run("train", "--model", "resnet", "--width", "0", "--data", csv.toString(), "--target", "clicked",
                "--out", out.toString()), 1, "--width must be between 1 and 1024, got 0", out);

        // A truncated Fashion-MNIST image file.
        Path fm = dir.resolve("fm");
        Files.createDirectories(fm);
        writeIdx(fm.resolve("train-images-idx3-ubyte.gz"), new int[] {10, 28, 28}, 1000);
        writeIdx(fm.resolve("train-labels-idx1-ubyte.gz"), new int[] {10}, 10);
        writeIdx(fm.resolve("t10k-images-idx3-ubyte.gz"), new int[] {10, 28, 28}, 7840);
        writeIdx(fm.resolve("t10k-labels-idx1-ubyte.gz"), new int[] {10}, 10);
        assertFailsCleanly(run("train", "--data", "fashion-mnist", "--data-dir", fm.toString(), "--out", out.toString()), 1,
                "train-images-idx3-ubyte.gz: truncated: dimensions [10, 28, 28] need 7840 bytes of data, found 1000", out);

        // Initial weights: a bad header, then wrong shapes.
        Path junk = dir.resolve("junk.safetensors");
        Files.write(junk, ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putLong(12).put("{oops".getBytes()).array());
        assertFailsCleanly(run("train", "--model", "logreg", "--data", csv.toString(), "--target", "clicked",
                "--init-weights", junk.toString(), "--out", out.toString()), 1, junk + ": header is not valid JSON", out);
        Path wrong = dir.resolve("wrong.safetensors");
        Safetensors.write(wrong, Map.of("0.weight", Tensor.zeros(2, 5), "0.bias", Tensor.zeros(1)), Map.of());
        assertFailsCleanly(run("train", "--model", "logreg", "--data", csv.toString(), "--target", "clicked",
                "--init-weights", wrong.toString(), "--out", out.toString()), 1,
                "tensor '0.weight' has shape [2, 5], the model needs [1, 5]", out);

        // An output folder that cannot be created: its parent is a file.
        Path blocker = dir.resolve("a-file");
        Files.writeString(blocker, "x");
        assertFailsCleanly(run("train", "--model", "logreg", "--data", csv.toString(), "--target", "clicked", "--epochs", "1",
                "--out", blocker.resolve("run").toString()), 1, "cannot create the run folder", blocker.resolve("run"));

        // Predicting without a column the model needs names the file and the column.
        Path finished = dir.resolve("run-for-predict");
        assertEquals(0, run("train", "--model", "logreg", "--data", csv.toString(), "--target", "clicked", "--epochs", "1",
                "--out", finished.toString()).code());
        Path partial = dir.resolve("partial.csv");
        Files.writeString(partial, "age,frequency,device\n30,1,mobile\n");
        Path target = dir.resolve("should-not-exist.csv");
        assertFailsCleanly(run("predict", finished.toString(), "--input", partial.toString(), "--output", target.toString()), 1,
                partial + ": no column 'interest'", target);
    }

    private static void writeIdx(Path file, int[] dims, int bytes) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            ByteBuffer h = ByteBuffer.allocate(4 + 4 * dims.length);
            h.putInt(0x800 | dims.length);
            for (int d : dims) {
                h.putInt(d);
            }
            out.write(h.array());
            out.write(new byte[bytes]);
        }
    }

    /** Starts "omomi train …" in its own JVM, as a user would, with the test's class path. */
    private static Process start(List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Domomi.threads=1",
                "-cp", System.getProperty("java.class.path"), "org.omomi.cli.Omomi"));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    void killedWithSigkillMidEpochThenResumedEndsWithTheSameWeights() throws Exception {
        List<String> common = List.of("train", "--model", "mlp", "--hidden", "64,32", "--data", csv.toString(), "--target", "clicked",
                "--epochs", "40", "--batch-size", "8", "--optimizer", "adam", "--lr", "0.003", "--seed", "11",
                "--checkpoint-every", "25");
        Path straight = dir.resolve("straight");
        List<String> a = new ArrayList<>(common);
        a.addAll(List.of("--out", straight.toString()));
        Process uninterrupted = start(a, dir.resolve("straight.log"));

        Path killed = dir.resolve("killed");
        List<String> b = new ArrayList<>(common);
        b.addAll(List.of("--out", killed.toString()));
        Process victim = start(b, dir.resolve("killed.log"));
        Path checkpoint = killed.resolve("checkpoints/last.safetensors");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(checkpoint) && victim.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(150); // a few more checkpoints, so the kill lands between them, mid-epoch
        assertTrue(victim.isAlive(), "training finished before it could be killed: " + Files.readString(dir.resolve("killed.log")));
        victim.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no cleanup
        victim.waitFor(30, TimeUnit.SECONDS);
        assertFalse(Files.exists(killed.resolve("model.safetensors")), "the killed run must not have finished");

        Process resumed = start(List.of("train", "--resume", killed.toString()), dir.resolve("resumed.log"));
        assertTrue(resumed.waitFor(180, TimeUnit.SECONDS), "resume did not finish");
        assertEquals(0, resumed.exitValue(), Files.readString(dir.resolve("resumed.log")));
        assertTrue(uninterrupted.waitFor(180, TimeUnit.SECONDS), "uninterrupted run did not finish");
        assertEquals(0, uninterrupted.exitValue(), Files.readString(dir.resolve("straight.log")));

        Map<String, Tensor> x = Safetensors.read(straight.resolve("model.safetensors")).tensors();
        Map<String, Tensor> y = Safetensors.read(killed.resolve("model.safetensors")).tensors();
        assertEquals(x.keySet(), y.keySet());
        for (String k : x.keySet()) {
            assertArrayEquals(x.get(k).toArray(), y.get(k).toArray(), k + " differs after resuming");
        }
        assertEquals(Files.readString(straight.resolve("history.jsonl")), Files.readString(killed.resolve("history.jsonl")));
    }
}
