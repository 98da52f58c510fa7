package org.omomi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omomi.io.Json;
import org.omomi.io.Safetensors;
import org.omomi.tensor.Rng;

/** Image models from the command line, on a tiny Fashion-MNIST-shaped data set written here. */
class ImageCliTest {

    @TempDir
    static Path dir;
    static Path data;

    /** 96 training and 32 test "images": class k is a bright k-th band of rows, plus noise. */
    @BeforeAll
    static void writeImages() throws IOException {
        data = bands(dir.resolve("fm"));
    }

    /** Writes the band images in Fashion-MNIST's file layout to {@code data}; returns it. */
    static Path bands(Path data) throws IOException {
        Files.createDirectories(data);
        Rng rng = new Rng(1);
        for (String split : new String[] {"train", "t10k"}) {
            int n = split.equals("train") ? 96 : 32;
            byte[] pixels = new byte[n * 784];
            byte[] labels = new byte[n];
            for (int i = 0; i < n; i++) {
                int k = i % 10;
                labels[i] = (byte) k;
                for (int p = 0; p < 784; p++) {
                    int row = p / 28;
                    int v = (row >= 2 * k + 4 && row < 2 * k + 7) ? 200 : 0;
                    pixels[i * 784 + p] = (byte) Math.min(255, v + rng.nextInt(40));
                }
            }
            write(data.resolve(split + "-images-idx3-ubyte.gz"), new int[] {n, 28, 28}, pixels);
            write(data.resolve(split + "-labels-idx1-ubyte.gz"), new int[] {n}, labels);
        }
        return data;
    }

    private static void write(Path file, int[] dims, byte[] values) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            ByteBuffer h = ByteBuffer.allocate(4 + 4 * dims.length);
            h.putInt(0x800 | dims.length);
            for (int d : dims) {
                h.putInt(d);
            }
            out.write(h.array());
            out.write(values);
        }
    }

    private static int run(StringWriter err, String... args) {
        return Omomi.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aResnetWithScheduleAndAugmentationTrainsEvaluatesAndPredicts() throws IOException {
        Path out = dir.resolve("resnet");
        StringWriter err = new StringWriter();
        int code = run(err, "train", "--model", "resnet", "--depth", "8", "--data", "fashion-mnist", "--data-dir", data.toString(),
                "--epochs", "3", "--batch-size", "16", "--lr", "0.01", "--schedule", "onecycle", "--augment", "--val-split", "0.25",
                "--out", out.toString());
        assertEquals(0, code, err.toString());
        Map<String, Object> pre = (Map<String, Object>) Json.parse(Files.readString(out.resolve("preprocessing.json")));
        assertEquals("omomi.images/1", pre.get("format"));
        Map<String, Object> model = (Map<String, Object>) Json.parse(Files.readString(out.resolve("model.json")));
        assertTrue(((String) model.get("pytorch_definitions")).startsWith("class BasicBlock(nn.Module):"));
        assertTrue(Safetensors.read(out.resolve("model.safetensors")).tensors().containsKey("6.downsample.0.weight"),
                "torchvision-style names, e.g. the projection of the first block of stage 2");
        List<String> history = Files.readAllLines(out.resolve("history.jsonl"));
        double lr1 = (Double) ((Map<String, Object>) Json.parse(history.get(0))).get("lr");
        double lr2 = (Double) ((Map<String, Object>) Json.parse(history.get(1))).get("lr");
        assertTrue(lr1 != lr2, "one-cycle changes the learning rate during training");
        StringWriter evalErr = new StringWriter();
        StringWriter evalOut = new StringWriter();
        int evalCode = Omomi.run(new String[] {"eval", out.toString(), "--data", "fashion-mnist", "--data-dir", data.toString()},
                new PrintWriter(evalOut, true), new PrintWriter(evalErr, true));
        assertEquals(0, evalCode, evalErr.toString());
        assertEquals(32.0, ((Map<String, Object>) Json.parse(evalOut.toString())).get("examples"));
    }

    @Test
    void theCnnLearnsTheBands() throws IOException {
        Path out = dir.resolve("cnn");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "train", "--model", "cnn", "--data", "fashion-mnist", "--data-dir", data.toString(), "--epochs", "6",
                "--batch-size", "16", "--lr", "3e-3", "--val-split", "0", "--out", out.toString()), err.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = (Map<String, Object>) Json.parse(Files.readString(out.resolve("metrics.json")));
        assertTrue((Double) metrics.get("test_accuracy") > 0.9, "bands are easy to tell apart: " + metrics);
    }
}
