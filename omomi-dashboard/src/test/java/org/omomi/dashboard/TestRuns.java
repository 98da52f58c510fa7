package org.omomi.dashboard;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.omomi.explain.DeadUnits;
import org.omomi.io.AtomicFile;
import org.omomi.io.Json;
import org.omomi.io.SavedModel;
import org.omomi.nn.LayerSpec;
import org.omomi.nn.ModelSpec;
import org.omomi.train.Callback;
import org.omomi.train.RunSetup;
import org.omomi.train.TrainConfig;
import org.omomi.train.Trainer;

/**
 * Run folders for the tests, trained here as {@code omomi train} trains (config.json and the model
 * description first, then the run log while training, weights and metrics.json at the end), on
 * generated data: a click table, and "images" in Fashion-MNIST's file layout whose class k is a
 * bright band at a place of its own. Trained once per test JVM and shared.
 */
final class TestRuns {

    static final Path ROOT = Path.of("target", "test-runs").toAbsolutePath();

    private static Path clicks;
    private static Path images;
    private static Path csvRun;
    private static Path cnnRun;
    private static Path imageMlpRun;

    private TestRuns() {}

    /** A 2,000-row click table: age, interest, frequency, device → clicked. */
    static synchronized Path clicksCsv() {
        if (clicks == null) {
            clicks = ROOT.resolve("clicks.csv");
            Random r = new Random(3);
            StringBuilder sb = new StringBuilder("age,interest,frequency,device,clicked\n");
            String[] devices = {"mobile", "desktop", "tablet"};
            for (int i = 0; i < 2000; i++) {
                int age = 18 + r.nextInt(53);
                double interest = Math.round(r.nextDouble() * 1000) / 1000.0;
                int freq = r.nextInt(21);
                String device = devices[r.nextInt(3)];
                double z = -0.5 + 0.04 * (40 - age) + 3 * interest - 0.15 * freq + (device.equals("mobile") ? 0.8 : 0);
                int clicked = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
                sb.append(age).append(',').append(interest).append(',').append(freq).append(',').append(device).append(',').append(clicked).append('\n');
            }
            write(clicks, sb.toString());
        }
        return clicks;
    }

    /** 600 training and 100 test images of 28×28 in Fashion-MNIST's files; class k is a bright band of rows 2k+4 … 2k+6. */
    static synchronized Path imagesDir() {
        if (images == null) {
            images = ROOT.resolve("images");
            try {
                Files.createDirectories(images);
                Random rng = new Random(1);
                for (String split : new String[] {"train", "t10k"}) {
                    int n = split.equals("train") ? 600 : 100;
                    byte[] pixels = new byte[n * 784];
                    byte[] labels = new byte[n];
                    for (int i = 0; i < n; i++) {
                        int k = i % 10;
                        labels[i] = (byte) k;
                        int from = 2 * k + 4 + rng.nextInt(2);
                        for (int p = 0; p < 784; p++) {
                            int row = p / 28;
                            int col = p % 28;
                            int v = row >= from && row < from + 3 && col > 3 && col < 24 ? 190 : 0;
                            pixels[i * 784 + p] = (byte) Math.min(255, v + rng.nextInt(50));
                        }
                    }
                    idx(images.resolve(split + "-images-idx3-ubyte.gz"), new int[] {n, 28, 28}, pixels);
                    idx(images.resolve(split + "-labels-idx1-ubyte.gz"), new int[] {n}, labels);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return images;
    }

    /** A dense 6-8-4-1 network on the click table: small enough for the network diagram. */
    static synchronized Path csvRun() {
        if (csvRun == null) {
            csvRun = train(ROOT.resolve("runs").resolve("clicks-mlp"), csvConfig(6, List.of(8, 4)), List.of());
        }
        return csvRun;
    }

    /** A small CNN (4 filters 3×3, max-pool, dense) on the band images, 3 epochs. */
    static synchronized Path cnnRun() {
        if (cnnRun == null) {
            Path spec = ROOT.resolve("tiny-cnn.json");
            ModelSpec s = ModelSpec.sequential("tiny_cnn", 784, 10, List.of(
                    new LayerSpec.UnflattenSpec(List.of(1, 28, 28)),
                    new LayerSpec.Conv2dSpec(1, 4, 3, 1, 1, true),
                    new LayerSpec.ActivationSpec("relu", 0),
                    new LayerSpec.PoolSpec(true, 2, 2),
                    new LayerSpec.FlattenSpec(),
                    new LayerSpec.DenseSpec(4 * 14 * 14, 10)));
            write(spec, Json.write(s.toJson()));
            cnnRun = train(ROOT.resolve("runs").resolve("tiny-cnn"), imageConfig(spec.toString(), List.of(), 3), List.of());
        }
        return cnnRun;
    }

    /** An MLP 784-16-10 on the band images, 2 epochs. */
    static synchronized Path imageMlpRun() {
        if (imageMlpRun == null) {
            imageMlpRun = train(ROOT.resolve("runs").resolve("image-mlp"), imageConfig("mlp", List.of(16), 2), List.of());
        }
        return imageMlpRun;
    }

    static TrainConfig csvConfig(int epochs, List<Integer> hidden) {
        return new TrainConfig(
                new TrainConfig.Data(clicksCsv().toString(), null, "clicked", null, null, 0.1, 0.2, "standard", List.of(), "one_hot", 0),
                new TrainConfig.Model("mlp", hidden, "relu", 8, 32, null, null),
                new TrainConfig.Optim("adam", 1e-2, null, 0, 0, 0, "none", "minibatch"),
                new TrainConfig.Loop(epochs, 64, 1, true, false, 0, 0));
    }

    static TrainConfig imageConfig(String model, List<Integer> hidden, int epochs) {
        return new TrainConfig(
                new TrainConfig.Data("fashion-mnist", imagesDir().toString(), null, null, null, 0.1, 0, "standard", List.of(), "one_hot", 0),
                new TrainConfig.Model(model, hidden, "relu", 8, 32, null, null),
                new TrainConfig.Optim("adam", 3e-3, null, 0, 0, 0, "none", "minibatch"),
                new TrainConfig.Loop(epochs, 32, 1, true, false, 0, 5));
    }

    /** Trains a run folder as omomi train does; {@code extra} callbacks run after the trainer's own. */
    static Path train(Path runDir, TrainConfig config, List<Callback> extra) {
        try {
            if (Files.exists(runDir)) {
                try (var walk = Files.walk(runDir)) {
                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            RunSetup setup = RunSetup.build(config);
            TrainConfig c = setup.config();
            Files.createDirectories(runDir);
            AtomicFile.writeString(runDir.resolve("config.json"), Json.write(c.toJson()) + "\n");
            SavedModel.writeDescription(runDir, setup.spec(), setup.head(), setup.classes(), setup.preprocessing(), setup.provenance());
            TrainConfig.Loop loop = c.loop();
            Trainer trainer = new Trainer(setup.model(), setup.head(), setup.optimizer(), setup.schedule(),
                    new Trainer.Options(loop.epochs(), loop.batchSize(), loop.shuffle(), loop.seed(), 0, loop.logEvery(), 0, false), runDir)
                    .addCallback(new DeadUnits(setup.val() != null ? setup.val() : setup.train()));
            extra.forEach(trainer::addCallback);
            Trainer.Result r = trainer.fit(setup.train(), setup.val());
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("format", "omomi.metrics/1");
            if (setup.test() != null) {
                Trainer.evaluate(setup.model(), setup.head(), setup.test()).forEach((k, v) -> metrics.put("test_" + k, v));
            }
            r.train().forEach((k, v) -> metrics.put("train_" + k, v));
            r.val().forEach((k, v) -> metrics.put("val_" + k, v));
            metrics.put("epochs", (long) r.epochs());
            metrics.put("train_samples_per_second", r.samplesPerSecond());
            setup.saved().save(runDir);
            AtomicFile.writeString(runDir.resolve("metrics.json"), Json.writeStandard(metrics) + "\n");
            return runDir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void idx(Path file, int[] dims, byte[] values) throws IOException {
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

    /** All test runs, trained. */
    static List<Path> all() {
        List<Path> out = new ArrayList<>();
        out.add(csvRun());
        out.add(cnnRun());
        out.add(imageMlpRun());
        return out;
    }
}
