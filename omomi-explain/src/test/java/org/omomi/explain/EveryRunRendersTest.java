package org.omomi.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omomi.io.AtomicFile;
import org.omomi.io.Json;
import org.omomi.nn.Activation;
import org.omomi.nn.Conv2d;
import org.omomi.nn.Dense;
import org.omomi.nn.Flatten;
import org.omomi.nn.Module;
import org.omomi.nn.Pool2d;
import org.omomi.nn.Sequential;
import org.omomi.nn.Unflatten;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.train.TensorStats;

/**
 * The inspect report renders every picture for the runs a new user makes first: one epoch, one
 * layer, a CSV model of three columns, a regression head, and run logs with a diverged epoch (NaN
 * and ±∞ written as such, or as null, or left out). Each run log is built here the way the trainer
 * writes it (docs/runlog.md), its statistics taken from the model's own weights. Every PNG must
 * decode, carry ink beyond a blank canvas, be referenced by index.html, and each case must yield
 * the pictures it promises.
 */
class EveryRunRendersTest {

    @TempDir
    Path dir;

    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    @Test
    void aOneEpochCnnRun() throws IOException {
        Rng rng = new Rng(1);
        Sequential cnn = new Sequential(new Unflatten(1, 28, 28), new Conv2d(1, 4, 3, 1, 1, 1, 1, true, rng, null, null),
                Activation.relu(), Pool2d.max(2, 2, 0), new Conv2d(4, 6, 3, 1, 1, 1, 1, true, rng, null, null), Activation.relu(),
                Pool2d.max(2, 2, 0), new Flatten(), new Dense(6 * 7 * 7, 10, rng));
        Path run = runDir("cnn", history(cnn, 1, Kind.MULTICLASS, -1));
        Set<String> files = inspect(run, cnn, DIGITS, images(20), null);
        assertHas(files, "loss.png", "metrics.png", "weights-1.weight-histograms.png", "weights-1.weight-percentiles.png",
                "weights-8.weight-histograms.png", "grad-norm.png", "update-ratio.png", "dead-relu.png", "filters.png",
                "feature-maps-1.png", "feature-maps-5.png", "gradcam-0.png", "ig-9.png");
    }

    @Test
    void aOneLayerImageModel() throws IOException {
        Sequential logreg = new Sequential(new Dense(784, 10, new Rng(2)));
        Path run = runDir("one-layer", history(logreg, 3, Kind.MULTICLASS, -1));
        Set<String> files = inspect(run, logreg, DIGITS, images(12), null);
        assertHas(files, "loss.png", "metrics.png", "lr.png", "weights-0.weight-histograms.png", "dense-neurons.png", "ig-0.png");
    }

    @Test
    void aCsvLogisticRegressionOfThreeColumns() throws IOException {
        for (int epochs : new int[] {1, 4}) {
            Sequential logreg = new Sequential(new Dense(3, 1, new Rng(3)));
            Path run = runDir("csv-" + epochs, history(logreg, epochs, Kind.BINARY, -1));
            Set<String> files = inspect(run, logreg, List.of("no", "yes"), null, rows(3, 40));
            assertHas(files, "loss.png", "metrics.png", "weights-0.weight-histograms.png", "network.png", "importance.png");
        }
    }

    @Test
    void aOneColumnCsvModel() throws IOException {
        Sequential logreg = new Sequential(new Dense(1, 1, new Rng(4)));
        Path run = runDir("one-column", history(logreg, 1, Kind.BINARY, -1));
        assertHas(inspect(run, logreg, List.of("0", "1"), null, rows(1, 10)), "importance.png", "network.png");
    }

    @Test
    void aRegressionHead() throws IOException {
        Rng rng = new Rng(5);
        Sequential mlp = new Sequential(new Dense(3, 5, rng), Activation.relu(), new Dense(5, 1, rng));
        for (int epochs : new int[] {1, 6}) {
            Path run = runDir("regression-" + epochs, history(mlp, epochs, Kind.REGRESSION, -1));
            Set<String> files = inspect(run, mlp, List.of(), null, rows(3, 30));
            assertHas(files, "loss.png", "regression.png", "metrics.png", "weights-0.weight-histograms.png",
                    "weights-2.weight-percentiles.png", "dead-relu.png", "network.png", "importance.png");
        }
    }

    /** The last epoch's loss and weights went to NaN and ±∞, written as the JSON the trainer writes today. */
    @Test
    void aDivergedEpochWrittenAsNaNAndInfinity() throws IOException {
        Sequential mlp = mlp(6);
        Path run = runDir("diverged", history(mlp, 4, Kind.MULTICLASS, 3));
        assertTrue(Files.readString(run.resolve("history.jsonl")).contains("NaN"), "the log holds NaN");
        assertHas(inspect(run, mlp, List.of("a", "b"), null, rows(3, 20)), "loss.png", "weights-0.weight-histograms.png",
                "weights-0.weight-percentiles.png", "grad-norm.png", "update-ratio.png");
    }

    /** The same log with every non-finite number written as null, as strict-JSON writers record it. */
    @Test
    void aDivergedEpochWrittenAsNull() throws IOException {
        Sequential mlp = mlp(7);
        List<Map<String, Object>> lines = new ArrayList<>();
        for (Map<String, Object> line : history(mlp, 4, Kind.MULTICLASS, 3)) {
            lines.add(nullify(line));
        }
        Path run = runDir("diverged-null", lines);
        String text = Files.readString(run.resolve("history.jsonl"));
        assertTrue(text.contains("null") && !text.contains("NaN") && !text.contains("Infinity"), "the log holds null instead");
        assertHas(inspect(run, mlp, List.of("a", "b"), null, rows(3, 20)), "loss.png", "weights-0.weight-histograms.png",
                "grad-norm.png", "update-ratio.png");
    }

    /** A first epoch that diverged at once: nothing finite to draw for the loss, fields left out of the record. */
    @Test
    void anOnlyEpochThatDivergedWithFieldsMissing() throws IOException {
        Sequential mlp = mlp(8);
        List<Map<String, Object>> lines = history(mlp, 1, Kind.MULTICLASS, 1);
        Map<String, Object> only = lines.get(0);
        only.remove("val");
        only.remove("lr");
        only.put("metrics_note", null);
        @SuppressWarnings("unchecked")
        Map<String, Object> params = (Map<String, Object>) only.get("params");
        for (Object p : params.values()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> w = (Map<String, Object>) ((Map<String, Object>) p).get("weight");
            w.remove("percentiles");
        }
        Path run = runDir("diverged-first", List.of(nullify(only)));
        Path out = dir.resolve("diverged-first-report");
        InspectReport.write(new InspectReport.Run(run, mlp, "mlp", Map.of("epochs", 1.0), metricsWithNull(), List.of("a", "b"),
                null, rows(3, 10)), out);
        // Nothing finite: the loss chart and the all-NaN first layer's histogram say so in words.
        Set<String> files = checkReport(out, Set.of("loss.png", "weights-0.weight-histograms.png"));
        assertHas(files, "loss.png", "importance.png");
        assertTrue(Files.readString(out.resolve("index.html")).contains("not finite"), "a null metric reads as not finite");
    }

    /** A model whose weights are all equal (zero) and a loss that never moved: no axis has a span. */
    @Test
    void allEqualValues() throws IOException {
        Sequential logreg = new Sequential(new Dense(3, 1, new Rng(9)));
        try (var ignored = Autograd.noGrad()) {
            logreg.parameters().forEach(p -> p.fill(0f));
        }
        List<Map<String, Object>> lines = history(logreg, 5, Kind.BINARY, -1);
        for (Map<String, Object> line : lines) {
            line.put("train", new LinkedHashMap<>(Map.of("loss", Math.log(2), "accuracy", 0.5)));
            line.put("val", new LinkedHashMap<>(Map.of("loss", Math.log(2) + 1e-17, "accuracy", 0.5)));
        }
        Path run = runDir("flat", lines);
        Path out = dir.resolve("flat-report");
        InspectReport.write(new InspectReport.Run(run, logreg, "logreg", Map.of(), Map.of(), List.of("0", "1"), null, rows(3, 10)), out);
        // All-zero weights draw no network edges and give IG of zero: those pictures are honest blanks.
        assertHas(checkReport(out, Set.of("network.png", "importance.png")), "loss.png", "metrics.png", "weights-0.weight-histograms.png");
    }

    /** A run logged every step, with a single step line: a one-point step curve. */
    @Test
    void aSingleLoggedStep() throws IOException {
        Sequential logreg = new Sequential(new Dense(3, 1, new Rng(10)));
        List<Map<String, Object>> lines = new ArrayList<>();
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("format", "omomi.runlog/1");
        step.put("kind", "step");
        step.put("epoch", 1.0);
        step.put("step", 1.0);
        step.put("loss", 0.7);
        step.put("lr", 1e-3);
        lines.add(step);
        lines.addAll(history(logreg, 1, Kind.BINARY, -1));
        Path run = runDir("steps", lines);
        assertHas(inspect(run, logreg, List.of("0", "1"), null, rows(3, 10)), "loss-steps.png", "loss.png");
    }

    // ------------------------------------------------------------------ the report and its pictures

    private Set<String> inspect(Path run, Module model, List<String> classes, InspectReport.Images images, InspectReport.Rows rows)
            throws IOException {
        Path out = run.resolve("report");
        Path index = InspectReport.write(new InspectReport.Run(run, model, "test model", Map.of("epochs", 1.0, "lr", 1e-3),
                Map.of("test_accuracy", 0.5), classes, images, rows), out);
        assertEquals(out.resolve("index.html"), index);
        return checkReport(out, Set.of());
    }

    /**
     * Every PNG beside index.html decodes, is at least 200 × 100, is not one flat colour, is named
     * in index.html, and (unless listed in {@code mayBeBlank}) shows data: chromatic ink, the
     * colours charts draw data in (their text and axes are grey), or for grey pictures (filters,
     * feature maps) more than two grey levels. Returns the file names.
     */
    private static Set<String> checkReport(Path out, Set<String> mayBeBlank) throws IOException {
        String html = Files.readString(out.resolve("index.html"));
        Set<String> files = new HashSet<>();
        try (Stream<Path> s = Files.list(out)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".png")).toList()) {
                String name = p.getFileName().toString();
                files.add(name);
                BufferedImage img = ImageIO.read(p.toFile());
                assertNotNull(img, name + " does not decode");
                assertTrue(img.getWidth() >= 200 && img.getHeight() >= 100, name + " is " + img.getWidth() + "×" + img.getHeight());
                Ink ink = Ink.of(img);
                assertTrue(ink.colours() > 2, name + " is a flat picture: " + ink);
                boolean grey = name.startsWith("filters") || name.startsWith("feature-maps") || name.startsWith("gradcam");
                if (!mayBeBlank.contains(name)) {
                    assertTrue(grey ? ink.greyLevels() > 2 : ink.chromatic() > 30, name + " shows no data: " + ink);
                }
                assertTrue(html.contains("(" + name + ")"), name + " is not referenced by index.html");
            }
        }
        Matcher m = Pattern.compile("class=\"file\">\\(([^)]+)\\)").matcher(html);
        while (m.find()) {
            assertTrue(files.contains(m.group(1)), "index.html names " + m.group(1) + ", which was not written");
        }
        return files;
    }

    /** What a picture holds: distinct colours, distinct grey levels, and pixels of clear colour (not grey). */
    private record Ink(int colours, int greyLevels, int chromatic) {
        static Ink of(BufferedImage img) {
            Set<Integer> colours = new HashSet<>();
            Set<Integer> greys = new HashSet<>();
            int chromatic = 0;
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    int p = img.getRGB(x, y) & 0xFFFFFF;
                    colours.add(p);
                    int r = p >> 16 & 0xFF;
                    int g = p >> 8 & 0xFF;
                    int b = p & 0xFF;
                    int spread = Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b));
                    if (spread > 40) {
                        chromatic++;
                    } else if (spread == 0) {
                        greys.add(r);
                    }
                }
            }
            return new Ink(colours.size(), greys.size(), chromatic);
        }
    }

    private static void assertHas(Set<String> files, String... expected) {
        for (String f : expected) {
            assertTrue(files.contains(f), f + " missing; the report has " + new java.util.TreeSet<>(files));
        }
    }

    // ------------------------------------------------------------------ runs built here

    private enum Kind { MULTICLASS, BINARY, REGRESSION }

    private static Sequential mlp(long seed) {
        Rng rng = new Rng(seed);
        return new Sequential(new Dense(3, 4, rng), Activation.relu(), new Dense(4, 2, rng));
    }

    private Path runDir(String name, List<Map<String, Object>> lines) throws IOException {
        Path run = dir.resolve(name);
        Files.createDirectories(run);
        StringBuilder sb = new StringBuilder();
        for (Map<String, Object> line : lines) {
            sb.append(Json.write(line)).append('\n');
        }
        AtomicFile.writeString(run.resolve("history.jsonl"), sb.toString());
        return run;
    }

    /**
     * Epoch lines 1..epochs as the trainer writes them: losses falling, metrics rising, a cosine
     * learning rate, and per parameter its shape, weight statistics (of the model's weights, moved
     * a little each epoch), gradient statistics and update ratio; dead-ReLU fractions per ReLU.
     * From epoch {@code divergedFrom} on (−1: never), the losses are NaN and +∞ and the weights hold
     * NaN and ±∞ among their values, as a run that blew up would log; in the last such epoch the
     * first layer's weights are all NaN.
     */
    private static List<Map<String, Object>> history(Module model, int epochs, Kind kind, int divergedFrom) {
        Rng rng = new Rng(99);
        List<Map<String, Object>> out = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            boolean bad = divergedFrom > 0 && e >= divergedFrom;
            double loss = bad ? Double.NaN : 1.0 / e;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("format", "omomi.runlog/1");
            r.put("kind", "epoch");
            r.put("epoch", (double) e);
            r.put("step", 10.0 * e);
            r.put("lr", 1e-3 * 0.5 * (1 + Math.cos(Math.PI * (e - 1) / Math.max(1, epochs))));
            Map<String, Object> train = new LinkedHashMap<>();
            Map<String, Object> val = new LinkedHashMap<>();
            train.put("loss", loss);
            val.put("loss", bad ? Double.POSITIVE_INFINITY : 1.1 / e);
            if (kind == Kind.REGRESSION) {
                val.put("mse", bad ? Double.NaN : 1.2 / e);
                val.put("mae", bad ? Double.NaN : 0.9 / e);
                val.put("r2", bad ? Double.NEGATIVE_INFINITY : 1 - 1.0 / (e + 1));
            } else {
                train.put("accuracy", bad ? Double.NaN : 1 - 0.5 / e);
                val.put("accuracy", bad ? Double.NaN : 1 - 0.6 / e);
                val.put("f1", bad ? Double.NaN : 1 - 0.7 / e);
                if (kind == Kind.BINARY) {
                    val.put("roc_auc", bad ? Double.NaN : 1 - 0.4 / e);
                }
                val.put("log_loss", val.get("loss"));
            }
            r.put("train", train);
            r.put("val", val);
            Map<String, Object> params = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> p : model.namedParameters().entrySet()) {
                float[] w = p.getValue().toArray();
                float[] g = new float[w.length];
                for (int i = 0; i < w.length; i++) {
                    w[i] += (float) (0.01 * e * rng.nextGaussian());
                    g[i] = (float) (1e-2 * rng.nextGaussian() / e);
                }
                if (bad && e == epochs && p.getKey().equals("0.weight")) {
                    java.util.Arrays.fill(w, Float.NaN); // no finite value left: a histogram without bins
                } else if (bad) {
                    w[0] = Float.NaN;
                    g[0] = Float.POSITIVE_INFINITY;
                    if (w.length > 2) {
                        w[1] = Float.POSITIVE_INFINITY;
                        w[2] = Float.NEGATIVE_INFINITY;
                    }
                }
                Map<String, Object> rec = new LinkedHashMap<>();
                List<Object> shape = new ArrayList<>();
                for (int d : p.getValue().shape()) {
                    shape.add((double) d);
                }
                rec.put("shape", shape);
                rec.put("weight", TensorStats.of(w).toJson());
                Map<String, Object> grad = TensorStats.of(g).toJson();
                if (bad) {
                    grad.put("l2", Double.POSITIVE_INFINITY);
                }
                rec.put("grad", grad);
                rec.put("update_ratio", bad ? Double.NaN : 1e-3 / e);
                params.put(p.getKey(), rec);
            }
            r.put("params", params);
            Map<String, Object> activations = new LinkedHashMap<>();
            model.namedModules().forEach((name, m) -> {
                if (m instanceof Activation) {
                    activations.put(name, new LinkedHashMap<>(Map.of("units", 4.0, "dead_fraction", 0.25, "zero_fraction", 0.5)));
                }
            });
            if (!activations.isEmpty()) {
                r.put("activations", activations);
            }
            out.add(r);
        }
        return out;
    }

    /** A copy with every NaN and ±∞ replaced by null. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> nullify(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, nullifyValue(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object nullifyValue(Object v) {
        if (v instanceof Double d) {
            return Double.isFinite(d) ? d : null;
        }
        if (v instanceof Map<?, ?> m) {
            return nullify((Map<String, Object>) m);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(nullifyValue(x)));
            return out;
        }
        return v;
    }

    private static Map<String, Object> metricsWithNull() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("test_loss", null);
        m.put("test_accuracy", 0.5);
        return m;
    }

    /** n 28 × 28 images: class k a bright k-th band of rows plus noise, the first n of classes 0, 1, 2, …. */
    private static InspectReport.Images images(int n) {
        Rng rng = new Rng(11);
        float[] px = new float[n * 784];
        float[] labels = new float[n];
        for (int i = 0; i < n; i++) {
            int k = i % 10;
            labels[i] = k;
            for (int p = 0; p < 784; p++) {
                int row = p / 28;
                px[i * 784 + p] = (row >= 2 * k + 4 && row < 2 * k + 7 ? 0.8f : 0f) + 0.15f * rng.nextFloat();
            }
        }
        Tensor x = Tensor.of(px, n, 784);
        return new InspectReport.Images(x, x, Tensor.of(labels, n), 28, 28, Tensor.zeros(1, 784));
    }

    /** n standardized rows of f columns named c0, c1, …; the baseline is the all-zero row (the training mean). */
    private static InspectReport.Rows rows(int f, int n) {
        Rng rng = new Rng(12);
        float[] v = new float[n * f];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        List<String> names = new ArrayList<>();
        for (int j = 0; j < f; j++) {
            names.add("c" + j);
        }
        return new InspectReport.Rows(Tensor.of(v, n, f), names, Tensor.zeros(1, f));
    }
}
