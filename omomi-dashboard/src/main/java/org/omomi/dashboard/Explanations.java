package org.omomi.dashboard;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.data.Csv;
import org.omomi.data.ImageScaling;
import org.omomi.data.Preprocessing;
import org.omomi.data.Tabular;
import org.omomi.data.TensorDataset;
import org.omomi.explain.Attribution;
import org.omomi.explain.Explained;
import org.omomi.explain.GradCam;
import org.omomi.explain.IntegratedGradients;
import org.omomi.explain.Quadrature;
import org.omomi.explain.WeightPictures;
import org.omomi.explain.plot.Overlay;
import org.omomi.explain.plot.Png;
import org.omomi.io.Predictor;
import org.omomi.nn.Module;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Inputs;
import org.omomi.tensor.Tensor;
import org.omomi.train.Head;

/**
 * The explanation viewer's answers: the examples to pick from, and for one of them the prediction,
 * Grad-CAM (convolutional models) and Integrated Gradients as overlays drawn on the server with
 * omomi-explain's {@link Overlay} (PNG data URLs), or for a table row the attribution of each
 * feature. IG integrates 50 Gauss–Legendre steps from a black image, or from the all-zero row (the
 * training mean of standardized columns); F is the target's logit (a regression's value).
 */
final class Explanations {

    /** Screen pixels per image pixel in the overlays. */
    static final int SCALE = 8;
    static final int THUMB_SCALE = 2;
    static final int MAX_EXAMPLES = 48;

    private Explanations() {}

    /** {"kind": "images"|"rows", "total", "examples": [{"input", "label", "thumbnail"|"text"}]}. */
    static Map<String, Object> examples(RunFiles run, Examples source, Preprocessing pre, int from, int count) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Object> list = new ArrayList<>();
        count = Math.max(1, Math.min(MAX_EXAMPLES, count));
        if (pre instanceof ImageScaling s) {
            TensorDataset d = source.images(run);
            int h = s.shape()[1];
            int w = s.shape()[2];
            out.put("kind", "images");
            out.put("total", (long) d.size());
            float[] labels = d.y().toArray();
            for (int i = Math.max(0, from); i < Math.min(d.size(), from + count); i++) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("input", "test:" + i);
                e.put("label", className(RunInfo.classes(run), (int) labels[i]));
                e.put("thumbnail", dataUrl(Overlay.over(pixels(d, i), new float[h * w], h, w, THUMB_SCALE, false, 0)));
                list.add(e);
            }
        } else if (pre instanceof Tabular t) {
            Examples.Rows rows = source.rows(run);
            Csv.Table table = rows.table();
            out.put("kind", "rows");
            out.put("total", (long) table.rows().size());
            for (int i = Math.max(0, from); i < Math.min(table.rows().size(), from + count); i++) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("input", "row:" + i);
                StringBuilder sb = new StringBuilder();
                String[] r = table.rows().get(i);
                for (String f : t.fields()) {
                    if (sb.length() > 0) {
                        sb.append(", ");
                    }
                    sb.append(f).append('=').append(r[table.column(f)]);
                    if (sb.length() > 120) {
                        sb.append(" …");
                        break;
                    }
                }
                e.put("text", sb.toString());
                e.put("label", r[table.column(t.target())]);
                list.add(e);
            }
        } else {
            throw HttpError.notFound("the viewer explains image models and CSV models; this run has neither preprocessing");
        }
        out.put("examples", list);
        return out;
    }

    /** One example explained: prediction, target, overlays or feature attributions. */
    static Map<String, Object> explain(RunFiles run, Examples source, Models.Loaded model, String input, String target) {
        Predictor p = model.predictor;
        Preprocessing pre = p.preprocessing();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("input", input);
        out.put("classes", new ArrayList<Object>(p.classes()));
        out.put("head", p.head().kindName());
        if (pre instanceof ImageScaling s) {
            TensorDataset d = source.images(run);
            int i = index(input, "test:", d.size());
            int h = s.shape()[1];
            int w = s.shape()[2];
            float[] raw = pixels(d, i);
            Tensor pixels = Tensor.wrap(raw, 1, raw.length);
            Predictor.Prediction pred = p.predictImages(pixels);
            out.put("label", className(p.classes(), (int) d.y().toArray()[i]));
            out.put("prediction", prediction(p, pred));
            int t = Predictions.targetOf(p.head(), p.classes(), pred, 0, target);
            putTarget(out, p, t);
            Tensor x = s.apply(pixels);
            List<Object> pictures = new ArrayList<>();
            pictures.add(picture("input", "the image", Overlay.over(raw, new float[h * w], h, w, SCALE, false, 0), null));
            synchronized (model.explainLock()) {
                Module m = model.explainModel();
                if (WeightPictures.firstConvolution(m) != null) {
                    Attribution cam = GradCam.of(m, x, t, null, h, w);
                    pictures.add(picture("gradcam", "Grad-CAM (layer " + cam.details().get("layer") + ")",
                            Overlay.over(raw, cam.values(), h, w, SCALE, false, 0.6), cam));
                }
                Attribution ig = IntegratedGradients.of(new Explained(m, t, output(p.head())), x, s.apply(Tensor.zeros(1, raw.length)),
                        IntegratedGradients.DEFAULT_STEPS, Quadrature.GAUSS_LEGENDRE);
                pictures.add(picture("integrated_gradients", "Integrated Gradients (red raises the score, blue lowers it)",
                        Overlay.over(raw, ig.values(), h, w, SCALE, true, 0.8), ig));
            }
            out.put("pictures", pictures);
        } else if (pre instanceof Tabular t) {
            if (!t.idColumns().isEmpty()) {
                throw HttpError.badRequest("the viewer explains models of one float input; this one also reads ids (embeddings)");
            }
            Csv.Table table = source.rows(run).table();
            int i = index(input, "row:", table.rows().size());
            Csv.Table one = table.select(new int[] {i});
            Tensor x = t.features(one);
            Predictor.Prediction pred = p.predict(Inputs.of(Tabular.DENSE, x));
            Map<String, Object> row = new LinkedHashMap<>();
            for (String f : t.fields()) {
                row.put(f, one.rows().get(0)[one.column(f)]);
            }
            out.put("row", row);
            out.put("label", one.rows().get(0)[one.column(t.target())]);
            out.put("prediction", prediction(p, pred));
            int k = Predictions.targetOf(p.head(), p.classes(), pred, 0, target);
            putTarget(out, p, k);
            Attribution ig;
            synchronized (model.explainLock()) {
                ig = IntegratedGradients.of(new Explained(model.explainModel(), k, output(p.head())), x, Tensor.zeros(1, x.size(1)),
                        IntegratedGradients.DEFAULT_STEPS, Quadrature.GAUSS_LEGENDRE);
            }
            // a categorical column's one-hot parts summed: one bar per column of the file
            List<String> features = t.inputFeatures();
            Map<String, Double> byFeature = new LinkedHashMap<>();
            for (int j = 0; j < features.size(); j++) {
                byFeature.merge(features.get(j), (double) ig.values()[j], Double::sum);
            }
            Map<String, Object> a = attributionJson(ig);
            a.put("names", new ArrayList<Object>(byFeature.keySet()));
            a.put("values", new ArrayList<Object>(byFeature.values()));
            out.put("attributions", a);
        } else {
            throw HttpError.notFound("the viewer explains image models and CSV models; this run has neither preprocessing");
        }
        return out;
    }

    private static Attribution.Output output(Head head) {
        return head.kind() == Head.Kind.REGRESSION ? Attribution.Output.VALUE : Attribution.Output.LOGIT;
    }

    private static void putTarget(Map<String, Object> out, Predictor p, int t) {
        out.put("target", (long) t);
        if (p.head().kind() == Head.Kind.MULTICLASS) {
            out.put("target_label", className(p.classes(), t));
        } else if (p.head().kind() == Head.Kind.BINARY) {
            out.put("target_label", "the logit of " + (p.classes().size() == 2 ? p.classes().get(1) : "class 1"));
        } else {
            out.put("target_label", "the predicted value");
        }
    }

    private static Map<String, Object> prediction(Predictor p, Predictor.Prediction pred) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (p.head().kind() == Head.Kind.REGRESSION) {
            m.put("value", (double) pred.predicted()[0]);
            return m;
        }
        m.put("class", (long) pred.predicted()[0]);
        m.put("label", p.label(pred, 0));
        List<Object> probs = new ArrayList<>();
        for (float v : pred.probabilities().toArray()) {
            probs.add((double) v);
        }
        if (p.head().kind() == Head.Kind.BINARY) {
            double one = (Double) probs.get(0);
            probs = List.of(1 - one, one);
        }
        m.put("probabilities", probs);
        return m;
    }

    private static Map<String, Object> picture(String method, String title, BufferedImage img, Attribution a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method);
        m.put("title", title);
        m.put("png", dataUrl(img));
        if (a != null) {
            m.putAll(attributionJson(a));
        }
        return m;
    }

    private static Map<String, Object> attributionJson(Attribution a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", (long) a.target());
        m.put("f_x", a.fx());
        if (!Double.isNaN(a.fBaseline())) {
            m.put("f_baseline", a.fBaseline());
            m.put("delta", a.delta());
            m.put("sum", a.sum());
        }
        return m;
    }

    static String dataUrl(BufferedImage img) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(Png.bytes(img));
    }

    private static float[] pixels(TensorDataset d, int i) {
        try (var ignored = Autograd.noGrad()) {
            return d.x().slice(0, i, i + 1).contiguous().toArray();
        }
    }

    private static String className(List<String> classes, int k) {
        return k >= 0 && k < classes.size() ? classes.get(k) : Integer.toString(k);
    }

    static int index(String input, String prefix, int size) {
        if (input == null || !input.startsWith(prefix)) {
            throw HttpError.badRequest("input=" + input + ": expected " + prefix + "N");
        }
        try {
            int i = Integer.parseInt(input.substring(prefix.length()).strip());
            if (i >= 0 && i < size) {
                return i;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw HttpError.badRequest("input=" + input + ": expected " + prefix + "N with N from 0 to " + (size - 1));
    }
}
