package org.omomi.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.omomi.explain.Attribution;
import org.omomi.explain.Explained;
import org.omomi.explain.GradCam;
import org.omomi.explain.Importance;
import org.omomi.explain.InspectReport;
import org.omomi.explain.IntegratedGradients;
import org.omomi.explain.Pictures;
import org.omomi.explain.Quadrature;
import org.omomi.explain.Saliency;
import org.omomi.explain.plot.Png;
import org.omomi.io.AtomicFile;
import org.omomi.io.Json;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.train.Head;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code omomi explain}: attributions of one prediction, as pictures and JSON. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Explain predictions of a trained model. For each input and method, writes DIR/NAME-METHOD.png and",
            "DIR/NAME-METHOD.json (attributions, target, prediction, F(x); for Integrated Gradients also F(baseline)",
            "and the convergence delta δ = Σ attributions − (F(x) − F(baseline))).",
            "F is the target's pre-softmax score (logit) unless --output probability; Grad-CAM always uses the logit.",
            "--input all (CSV models): global importance, the mean |IG| per column over the data rows."})
final class ExplainCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run folder written by 'omomi train'.")
    Path run;

    @Option(names = "--input", required = true, split = ",", paramLabel = "test:INDEX|IMAGE.png|row:N|all",
            description = "What to explain: a Fashion-MNIST test image, a 28×28 grey PNG (white object on black, as Fashion-MNIST),"
                    + " a row of the CSV file (0 = first data row), or all rows. Several, comma-separated.")
    List<String> inputs;

    @Option(names = "--method", split = ",", defaultValue = "ig", paramLabel = "ig|gradcam|saliency|smoothgrad",
            description = "Method(s), comma-separated (default: ${DEFAULT-VALUE}).")
    List<String> methods;

    @Option(names = "--target", paramLabel = "CLASS", description = "Class to explain, by index or name (default: the predicted class).")
    String target;

    @Option(names = "--steps", defaultValue = "50", paramLabel = "M", description = "Integrated Gradients steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--rule", defaultValue = "gauss-legendre", paramLabel = "left|right|middle|trapezoid|gauss-legendre",
            description = "Integration rule for Integrated Gradients (default: ${DEFAULT-VALUE}).")
    String rule;

    @Option(names = "--baseline", paramLabel = "black|zero|mean",
            description = "Integrated Gradients baseline: black (images, default: pixels 0), zero (an all-zero model input: for standardized"
                    + " CSV columns the training mean, for one-hot columns no category), mean (the mean of the rows explained, the default"
                    + " for CSV models: an average customer; images: every pixel the training mean).")
    String baseline;

    @Option(names = "--output", defaultValue = "logit", paramLabel = "logit|probability",
            description = "F explained by ig, saliency and smoothgrad (default: ${DEFAULT-VALUE}).")
    String output;

    @Option(names = "--layer", paramLabel = "NAME", description = "Grad-CAM layer, a module name such as 4 or layer3.0 (default: the last convolutional one).")
    String layer;

    @Option(names = "--samples", defaultValue = "50", paramLabel = "N", description = "SmoothGrad: noisy copies (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--noise", defaultValue = "0.15", paramLabel = "F", description = "SmoothGrad: noise σ as a fraction of the input's range (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "SmoothGrad's noise seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data", paramLabel = "FILE.csv", description = "The CSV file for row:N and all (default: the run's data file).")
    Path data;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Folder with the Fashion-MNIST files (default: the run's).")
    String dataDir;

    @Option(names = "--limit", defaultValue = "1000", paramLabel = "N", description = "--input all: at most this many rows (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the pictures and JSON files (created).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        for (String m : methods) {
            if (!List.of("ig", "gradcam", "saliency", "smoothgrad").contains(m)) {
                throw new IllegalArgumentException("--method: unknown method '" + m + "'; known: ig, gradcam, saliency, smoothgrad");
            }
        }
        if (steps < 1 || samples < 1 || !(noise >= 0) || limit < 1) {
            throw new IllegalArgumentException("--steps, --samples and --limit must be at least 1 and --noise at least 0");
        }
        Quadrature quadrature = Quadrature.named(rule);
        Attribution.Output f = switch (output) {
            case "logit" -> Attribution.Output.LOGIT;
            case "probability" -> Attribution.Output.PROBABILITY;
            default -> throw new IllegalArgumentException("--output: '" + output + "' is neither logit nor probability");
        };
        RunFolder r = RunFolder.open(run);
        warnIfNotConverged(r, spec.commandLine().getOut());
        if (r.head().kind() == Head.Kind.REGRESSION) {
            if (f == Attribution.Output.PROBABILITY) {
                throw new IllegalArgumentException("--output probability: " + run + " is a regression model");
            }
            f = Attribution.Output.VALUE; // F is the predicted value, not a logit
        }
        Files.createDirectories(out);
        PrintWriter pw = spec.commandLine().getOut();
        InspectReport.Rows rows = null;
        InspectReport.Images test = null; // read once for all test:INDEX inputs
        for (String input : inputs) {
            input = input.strip();
            if (r.tabular() != null) {
                if (rows == null) {
                    rows = RunData.rows(r, data);
                }
                if (input.equals("all")) {
                    writeImportance(r, rows, pw);
                    continue;
                }
                if (!input.startsWith("row:")) {
                    throw new IllegalArgumentException("--input " + input + ": a CSV model explains row:N or all");
                }
                int i = index(input, "row:", rows.input().size(0), "rows in " + (data != null ? data : r.config().get("data")));
                Tensor x = rows.input().slice(0, i, i + 1).contiguous();
                for (String m : methods) {
                    if (m.equals("gradcam")) {
                        throw new IllegalArgumentException("--method gradcam needs a convolutional image model; " + run + " is a CSV model");
                    }
                    Attribution a = explain(r, m, x, baselineRow(rows), f, quadrature, null);
                    String stem = "row-" + i + "-" + m;
                    boolean signed = m.equals("ig");
                    var picture = Pictures.bars((signed ? "Integrated Gradients" : m) + ", row " + i + ": " + targetName(r, a.target()),
                            signed ? "attribution (+ raises F, − lowers it)" : "|gradient|", rows.names(), a.values(), signed, 30);
                    write(r, stem, input, a, x, picture, rows.names(), pw);
                }
            } else {
                if (input.equals("all") || input.startsWith("row:")) {
                    throw new IllegalArgumentException("--input " + input + ": an image model explains test:INDEX or IMAGE.png");
                }
                InspectReport.Images im;
                String stem;
                int i = 0;
                if (input.startsWith("test:")) {
                    if (test == null) {
                        test = RunData.testImages(r, dataDir);
                    }
                    i = index(input, "test:", test.input().size(0), "Fashion-MNIST test images");
                    im = test;
                    stem = "test-" + i;
                } else {
                    Path png = Path.of(input);
                    if (!Files.isRegularFile(png)) {
                        throw new java.nio.file.NoSuchFileException(png.toString(), null, "an image to explain (or use test:INDEX)");
                    }
                    Png.Grey g = Png.readGrey(png);
                    if (g.height() != RunData.SIDE || g.width() != RunData.SIDE) {
                        throw new IllegalArgumentException(png + ": " + g.width() + "×" + g.height() + " pixels; the model needs 28×28 grey images");
                    }
                    float[] v = new float[RunData.SIDE * RunData.SIDE];
                    for (int k = 0; k < v.length; k++) {
                        v[k] = g.levels()[k] / 255f;
                    }
                    im = RunData.images(r, Tensor.wrap(v, 1, v.length), Tensor.zeros(1));
                    stem = org.omomi.explain.Figure.safe(png.getFileName().toString().replaceFirst("\\.[Pp][Nn][Gg]$", ""));
                }
                Tensor x = im.input().slice(0, i, i + 1).contiguous();
                float[] display = im.display().slice(0, i, i + 1).contiguous().toArray();
                Tensor base = baselineImage(r, im);
                for (String m : methods) {
                    Attribution a = explain(r, m, x, base, f, quadrature, im);
                    String title = methodName(m) + " — " + stem + ": " + targetName(r, a.target());
                    write(r, stem + "-" + m, input, a, x, Pictures.panels(a, display, RunData.SIDE, RunData.SIDE, title), null, pw);
                }
            }
        }
        pw.flush();
        return 0;
    }

    private Attribution explain(RunFolder r, String method, Tensor x, Tensor base, Attribution.Output f, Quadrature q,
                                InspectReport.Images im) {
        int t = targetIndex(r, x);
        Explained e = new Explained(r.model(), t, f);
        return switch (method) {
            case "ig" -> IntegratedGradients.of(e, x, base, steps, q);
            case "saliency" -> Saliency.of(e, x);
            case "smoothgrad" -> Saliency.smooth(e, x, samples, noise, new Rng(seed));
            default -> {
                if (org.omomi.explain.WeightPictures.firstConvolution(r.model()) == null) {
                    throw new IllegalArgumentException("--method gradcam: the model " + r.spec().name() + " has no convolutional layer");
                }
                yield GradCam.of(r.model(), x, t, layer, im.height(), im.width());
            }
        };
    }

    private Tensor baselineImage(RunFolder r, InspectReport.Images im) {
        String b = baseline == null ? "black" : baseline;
        return switch (b) {
            case "black" -> im.baseline();
            case "zero" -> Tensor.zeros(1, RunData.SIDE * RunData.SIDE);
            case "mean" -> {
                if (r.imageScale() == null) {
                    throw new IllegalArgumentException("--baseline mean: " + run + " was trained without --scale standard, so no training mean was saved; use black");
                }
                yield Tensor.zeros(1, RunData.SIDE * RunData.SIDE); // standardized: zero is the mean pixel
            }
            default -> throw new IllegalArgumentException("--baseline: '" + b + "' is not black, zero or mean");
        };
    }

    /** CSV models: zero (the default: the training mean of standardized columns) or the mean of the rows explained. */
    private Tensor baselineRow(InspectReport.Rows rows) {
        String b = baseline == null ? "mean" : baseline;
        return switch (b) {
            case "zero" -> Tensor.zeros(1, rows.input().size(1));
            case "mean" -> {
                try (var ignored = Autograd.noGrad()) {
                    yield rows.input().mean(0, true).contiguous();
                }
            }
            default -> throw new IllegalArgumentException("--baseline " + b + ": a CSV model takes zero or mean");
        };
    }

    private int targetIndex(RunFolder r, Tensor x) {
        int outputs = r.head().outputs();
        if (target != null) {
            int i = r.classes().indexOf(target);
            if (i >= 0) {
                return i;
            }
            try {
                i = Integer.parseInt(target.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--target " + target + ": not a class of this model (" + String.join(", ", r.classes()) + ")");
            }
            int classes = r.head().kind() == Head.Kind.BINARY ? 1 : outputs;
            if (r.head().kind() == Head.Kind.BINARY && i == 1) {
                return 0; // one logit: class 1's score
            }
            if (i < 0 || i >= classes) {
                throw new IllegalArgumentException("--target " + target + ": out of range, the model has " + classes + " output" + (classes == 1 ? "" : "s"));
            }
            return i;
        }
        if (r.head().kind() != Head.Kind.MULTICLASS) {
            return 0;
        }
        try (var ignored = Autograd.noGrad()) {
            return (int) r.model().call(x).argmax(1, false).get(0);
        }
    }

    private static String targetName(RunFolder r, int t) {
        if (r.head().kind() == Head.Kind.BINARY) {
            return r.classes().size() == 2 ? r.classes().get(1) + " (the logit of class 1)" : "class 1 (the logit)";
        }
        return t < r.classes().size() ? r.classes().get(t) : "output " + t;
    }

    private static String methodName(String m) {
        return switch (m) {
            case "ig" -> "Integrated Gradients";
            case "gradcam" -> "Grad-CAM";
            case "smoothgrad" -> "SmoothGrad";
            default -> "Saliency";
        };
    }

    private void write(RunFolder r, String stem, String input, Attribution a, Tensor x, java.awt.image.BufferedImage picture,
                       List<String> names, PrintWriter pw) throws IOException {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("format", "omomi.explanation/1");
        j.put("run", run.toAbsolutePath().toString());
        j.put("input", input);
        j.put("target_name", targetName(r, a.target()));
        Map<String, Object> prediction = new LinkedHashMap<>();
        try (var ignored = Autograd.noGrad()) {
            Tensor o = r.model().call(x);
            float[] outs = o.toArray();
            if (r.head().kind() != Head.Kind.REGRESSION) {
                float[] p = r.head().probabilities(o).toArray();
                float[] pred = r.head().predictions(o).toArray();
                prediction.put("class", (long) pred[0]);
                if (!r.classes().isEmpty()) {
                    prediction.put("class_name", r.classes().get((int) pred[0]));
                }
                List<Object> pl = new ArrayList<>();
                for (float v : p) {
                    pl.add((double) v);
                }
                prediction.put("probabilities", pl);
            }
            List<Object> ol = new ArrayList<>();
            for (float v : outs) {
                ol.add((double) v);
            }
            prediction.put("outputs", ol);
        }
        j.put("prediction", prediction);
        j.putAll(a.toJson());
        if (names != null) {
            Map<String, Object> byName = new LinkedHashMap<>();
            for (int k = 0; k < names.size(); k++) {
                byName.put(names.get(k), (double) a.values()[k]);
            }
            j.put("attributions_by_column", byName);
        }
        Path json = out.resolve(stem + ".json");
        Path png = out.resolve(stem + ".png");
        AtomicFile.writeString(json, Json.write(j) + "\n");
        Png.write(picture, png);
        pw.println("wrote " + png + " and " + json.getFileName() + ": " + Pictures.summary(a, targetName(r, a.target())));
    }

    private void writeImportance(RunFolder r, InspectReport.Rows rows, PrintWriter pw) throws IOException {
        List<String> byInput = r.tabular().inputFeatures();
        List<String> features = new ArrayList<>(new java.util.LinkedHashSet<>(byInput));
        int[] group = new int[byInput.size()];
        for (int j = 0; j < group.length; j++) {
            group[j] = features.indexOf(byInput.get(j));
        }
        Attribution.Output f = r.head().kind() == Head.Kind.REGRESSION ? Attribution.Output.VALUE : Attribution.Output.LOGIT;
        float[] imp = Importance.meanAbsIg(r.model(), rows.input(), baselineRow(rows), limit, f, group, features.size());
        float[] perColumn = Importance.meanAbsIg(r.model(), rows.input(), baselineRow(rows), limit, f);
        int n = Math.min(limit, rows.input().size(0));
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("format", "omomi.importance/1");
        j.put("run", run.toAbsolutePath().toString());
        j.put("method", "mean |integrated gradients|, 50 Gauss–Legendre steps, " + (r.head().kind() == Head.Kind.REGRESSION ? "predicted value" : "predicted class logit")
                + "; a feature's one-hot columns summed per row before |·|");
        j.put("baseline", baseline == null ? "mean" : baseline);
        j.put("rows", (long) n);
        j.put("converged", converged(r));
        Map<String, Object> byName = new LinkedHashMap<>();
        for (int k = 0; k < imp.length; k++) {
            byName.put(features.get(k), (double) imp[k]);
        }
        j.put("importance", byName);
        Map<String, Object> byColumn = new LinkedHashMap<>();
        for (int k = 0; k < perColumn.length; k++) {
            byColumn.put(rows.names().get(k), (double) perColumn[k]);
        }
        j.put("importance_by_column", byColumn);
        AtomicFile.writeString(out.resolve("importance.json"), Json.writeStandard(j) + "\n");
        Png.write(Pictures.bars("Feature importance: mean |IG| over " + n + " rows", "mean |attribution|", features, imp, false, 30),
                out.resolve("importance.png"));
        pw.println("wrote " + out.resolve("importance.png") + " and importance.json (" + n + " rows)");
    }

    /** Whether the run's metrics.json says it converged (true when it says nothing: older runs). */
    static boolean converged(RunFolder r) throws IOException {
        return !(metrics(r).get("converged") instanceof Boolean b) || b;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metrics(RunFolder r) throws IOException {
        Path m = r.dir().resolve("metrics.json");
        return Files.isRegularFile(m) && Json.parse(Files.readString(m)) instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    /** One line when the explained model did not converge: its explanations describe a model that is not yet the data's. */
    static void warnIfNotConverged(RunFolder r, PrintWriter pw) throws IOException {
        if (!converged(r)) {
            pw.println("warning: this model did not converge (" + metrics(r).getOrDefault("convergence", "see metrics.json")
                    + "); its explanations may not reflect the data");
        }
    }

    private static int index(String input, String prefix, int size, String what) {
        String s = input.substring(prefix.length()).strip();
        int i;
        try {
            i = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--input " + input + ": '" + s + "' is not an index");
        }
        if (i < 0 || i >= size) {
            throw new IllegalArgumentException("--input " + input + ": out of range, there are " + size + " " + what + " (0 to " + (size - 1) + ")");
        }
        return i;
    }
}
