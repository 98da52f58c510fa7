package org.omomi.explain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.omomi.explain.plot.ImageGrid;
import org.omomi.explain.plot.NetworkDiagram;
import org.omomi.io.Json;
import org.omomi.nn.Module;
import org.omomi.tensor.Tensor;
import org.omomi.train.TensorStats;

/**
 * The report {@code omomi inspect} writes for a run: summary, parameter table, pictures of
 * training, pictures of weights and explanations of test examples.
 */
public final class InspectReport {

    /** Test images for the report: model inputs, the same images for display (0–1), labels, and the baseline input for IG. */
    public record Images(Tensor input, Tensor display, Tensor labels, int height, int width, Tensor baseline) {}

    /**
     * Test rows of a CSV model: model inputs, their column names, the baseline input for IG, and for
     * each column the feature it belongs to (one-hot columns of one categorical column share one).
     */
    public record Rows(Tensor input, List<String> names, Tensor baseline, List<String> features) {
        /** Rows whose every column is a feature of its own. */
        public Rows(Tensor input, List<String> names, Tensor baseline) {
            this(input, names, baseline, names);
        }
    }

    /**
     * What the report is about. {@code images} or {@code rows} (or neither) says what data the
     * explanations use; {@code classes} names the outputs (empty for regression).
     */
    public record Run(Path dir, Module model, String modelName, Map<String, Object> config, Map<String, Object> metrics,
                      List<String> classes, Images images, Rows rows) {}

    private InspectReport() {}

    /** Writes {@code out/index.html} and its PNG files; returns the index path. */
    public static Path write(Run run, Path out) throws IOException {
        run.model().eval();
        Report r = new Report(out, "omomi report: " + run.dir().getFileName());
        summary(run, r);
        parameters(run.model(), r);
        Path history = run.dir().resolve("history.jsonl");
        if (Files.isRegularFile(history)) {
            List<Figure> training = TrainingPlots.of(LogSeries.read(history));
            if (!training.isEmpty()) {
                r.heading("Training");
                for (Figure f : training) {
                    r.figure(f);
                }
            }
        }
        weights(run, r);
        if (run.images() != null) {
            explainImages(run, r);
        } else if (run.rows() != null) {
            explainRows(run, r);
        }
        return r.write();
    }

    private static void summary(Run run, Report r) {
        r.heading("Run");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("item", "value"));
        rows.add(List.of("run folder", run.dir().toAbsolutePath().toString()));
        rows.add(List.of("model", run.modelName() + " — " + String.format(Locale.ROOT, "%,d", run.model().parameterCount()) + " parameters"));
        for (String k : new String[] {"data", "epochs", "batch_size", "optimizer", "lr", "momentum", "weight_decay", "l1", "l2", "schedule", "augment", "seed"}) {
            Object v = run.config().get(k);
            if (v != null) {
                rows.add(List.of(k.replace('_', ' '), format(v)));
            }
        }
        run.metrics().forEach((k, v) -> {
            if (!k.equals("format")) {
                rows.add(List.of(k.replace('_', ' '), format(v)));
            }
        });
        r.table(rows);
    }

    private static void parameters(Module model, Report r) {
        r.heading("Parameters");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("name", "shape", "count", "L2 norm", "mean", "std", "min", "max", "zeros"));
        model.namedParameters().forEach((name, p) -> {
            TensorStats s = TensorStats.of(p.toArray());
            rows.add(List.of(name, java.util.Arrays.toString(p.shape()), String.format(Locale.ROOT, "%,d", p.numel()),
                    num(s.l2()), num(s.mean()), num(s.std()), num(s.min()), num(s.max()),
                    String.format(Locale.ROOT, "%.1f%%", 100 * s.zeroFraction())));
        });
        r.table(rows);
    }

    private static void weights(Run run, Report r) throws IOException {
        Module model = run.model();
        List<Figure> figs = new ArrayList<>();
        String conv = WeightPictures.firstConvolution(model);
        if (conv != null) {
            ImageGrid g = WeightPictures.filters(model, conv);
            figs.add(new Figure("filters.png", "First-layer filters", "Each filter of " + conv
                    + " scaled by its own min–max to grey levels (black = its most negative weight, white = its most positive).", g.render()));
            if (run.images() != null) {
                Tensor x = run.images().input().slice(0, 0, 1).contiguous();
                figs.add(new Figure("feature-maps-" + Figure.safe(conv) + ".png", "Feature maps of " + conv,
                        "The outputs of " + conv + " for test image 0, each channel min–max scaled.", WeightPictures.featureMaps(model, conv, x).render()));
                String last = GradCam.defaultLayer(model, x);
                if (!last.equals(conv)) {
                    figs.add(new Figure("feature-maps-" + Figure.safe(last) + ".png", "Feature maps of " + last,
                            "The outputs of " + last + " (the layer Grad-CAM uses) for test image 0, each channel min–max scaled.",
                            WeightPictures.featureMaps(model, last, x).render()));
                }
            }
        }
        ImageGrid neurons = WeightPictures.denseNeurons(model);
        if (neurons != null) {
            figs.add(new Figure("dense-neurons.png", "First-layer neurons as images",
                    "Each neuron's incoming weights laid out as the input image, min–max scaled per neuron (viridis: dark = most negative).", neurons.render()));
        }
        NetworkDiagram d = WeightPictures.diagram(model, run.rows() != null ? run.rows().names() : null, run.classes().isEmpty() ? null : run.classes());
        if (d != null) {
            figs.add(new Figure("network.png", "Network diagram", "Every weight as an edge: red positive, blue negative, width proportional to |w|.", d.render(900, 560)));
        }
        if (!figs.isEmpty()) {
            r.heading("Weights");
            for (Figure f : figs) {
                r.figure(f);
            }
        }
    }

    /** One test image per class (the first of each): Grad-CAM where the model has convolutions, and Integrated Gradients. */
    private static void explainImages(Run run, Report r) throws IOException {
        Images im = run.images();
        int classes = run.classes().size();
        Map<Integer, Integer> firstOfClass = new LinkedHashMap<>();
        for (int i = 0; i < im.labels().numel() && firstOfClass.size() < classes; i++) {
            firstOfClass.putIfAbsent((int) im.labels().get(i), i);
        }
        // The Grad-CAM layer, found once: finding it takes a forward pass.
        String layer = WeightPictures.firstConvolution(run.model()) == null ? null
                : GradCam.defaultLayer(run.model(), im.input().slice(0, 0, 1).contiguous());
        boolean conv = layer != null;
        r.heading("Explanations");
        r.paragraph("For the first test image of each class, explaining the true class's pre-softmax score (logit). "
                + (conv ? "Grad-CAM: ReLU(Σ_k α_k A_k) at the layer named, α_k the spatial mean of ∂y_c/∂A_k, bilinearly upsampled. " : "")
                + "Integrated Gradients: 50 Gauss–Legendre steps from a black image; red raises the score, blue lowers it (colours clipped at the 99th percentile of |attribution|); δ is Σ attributions − (F(x) − F(black)).");
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("test index", "class", "predicted", "F(x)", "F(baseline)", "Σ IG", "δ", "|δ| / |ΔF|"));
        List<Integer> keys = new ArrayList<>(firstOfClass.keySet());
        java.util.Collections.sort(keys);
        for (int c : keys) {
            int i = firstOfClass.get(c);
            Tensor x = im.input().slice(0, i, i + 1).contiguous();
            float[] display = im.display().slice(0, i, i + 1).contiguous().toArray();
            int predicted = argmax(run.model(), x);
            String name = run.classes().get(c);
            String head = "test " + i + ": " + name + " (predicted " + run.classes().get(predicted) + ")";
            if (conv) {
                Attribution g = GradCam.of(run.model(), x, c, layer, im.height(), im.width());
                r.figure(new Figure("gradcam-" + c + ".png", "Grad-CAM, " + head, Pictures.summary(g, name),
                        Pictures.panels(g, display, im.height(), im.width(), "Grad-CAM — " + head)));
            }
            Attribution ig = IntegratedGradients.of(new Explained(run.model(), c, Attribution.Output.LOGIT), x, im.baseline(),
                    IntegratedGradients.DEFAULT_STEPS, Quadrature.GAUSS_LEGENDRE);
            r.figure(new Figure("ig-" + c + ".png", "Integrated Gradients, " + head, Pictures.summary(ig, name),
                    Pictures.panels(ig, display, im.height(), im.width(), "Integrated Gradients — " + head)));
            table.add(List.of(Integer.toString(i), name, run.classes().get(predicted), num(ig.fx()), num(ig.fBaseline()), num(ig.sum()),
                    String.format(Locale.ROOT, "%+.3g", ig.delta()), String.format(Locale.ROOT, "%.2f%%", 100 * ig.relativeDelta())));
        }
        r.heading("Integrated Gradients: completeness");
        r.table(table);
    }

    /** Global importance: mean |IG| per feature over up to 500 test rows, explaining each row's predicted class. */
    private static void explainRows(Run run, Report r) throws IOException {
        Rows rows = run.rows();
        List<String> features = new java.util.ArrayList<>(new java.util.LinkedHashSet<>(rows.features()));
        int[] group = new int[rows.features().size()];
        for (int j = 0; j < group.length; j++) {
            group[j] = features.indexOf(rows.features().get(j));
        }
        float[] importance = Importance.meanAbsIg(run.model(), rows.input(), rows.baseline(), 500,
                run.classes().isEmpty() ? Attribution.Output.VALUE : Attribution.Output.LOGIT, group, features.size());
        r.heading("Feature importance");
        r.figure(new Figure("importance.png", "Global importance: mean |Integrated Gradients|",
                "Mean over up to 500 test rows of |IG| per feature, a categorical column's one-hot columns summed per row (50"
                        + " Gauss–Legendre steps from the baseline, the mean of the rows), explaining each row's predicted class logit"
                        + " (a regression model's predicted value).",
                Pictures.bars("Feature importance (mean |IG|)", "mean |attribution|", features, importance, false, 30)));
    }

    private static int argmax(Module model, Tensor x) {
        try (var ignored = org.omomi.tensor.Autograd.noGrad()) {
            float[] o = model.call(x).toArray();
            int best = 0;
            for (int k = 1; k < o.length; k++) {
                if (o[k] > o[best]) {
                    best = k;
                }
            }
            return o.length == 1 ? (o[0] > 0 ? 1 : 0) : best;
        }
    }

    static String num(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return Double.toString(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return String.format(Locale.ROOT, "%,d", (long) v); // counts, epochs, seeds read as integers
        }
        double a = Math.abs(v);
        return a >= 1e4 || a < 1e-3 ? String.format(Locale.ROOT, "%.3e", v) : String.format(Locale.ROOT, "%.4g", v);
    }

    private static String format(Object v) {
        if (v == null) {
            return "not finite"; // strict-JSON writers record NaN and ±∞ as null
        }
        if (v instanceof Double d) {
            return num(d);
        }
        return v instanceof Map || v instanceof List ? Json.write(v) : String.valueOf(v);
    }
}
