package org.omomi.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.omomi.loss.BceWithLogitsLoss;
import org.omomi.loss.CrossEntropyLoss;
import org.omomi.loss.Loss;
import org.omomi.loss.MseLoss;
import org.omomi.tensor.Tensor;

/**
 * What a network's outputs mean and how they are judged: the loss they are trained on, how they
 * become predictions and probabilities, and which metrics describe them.
 *
 * <ul>
 * <li>{@code MULTICLASS}: C logits, categorical cross-entropy, targets are class indices [N];
 *     metrics loss, accuracy, top-5 accuracy (C &gt; 5), macro precision/recall/F1, log-loss.</li>
 * <li>{@code BINARY}: one logit, binary cross-entropy with logits, targets 0/1 [N];
 *     metrics loss, accuracy, precision/recall/F1 of class 1, ROC-AUC, log-loss.</li>
 * <li>{@code REGRESSION}: k values, a regression loss (MSE by default), targets [N, k];
 *     metrics loss, MSE, MAE, R².</li>
 * </ul>
 */
public record Head(Kind kind, int outputs, Loss loss) implements Objective {

    public enum Kind { MULTICLASS, BINARY, REGRESSION }

    public static Head multiclass(int classes) {
        return new Head(Kind.MULTICLASS, classes, new CrossEntropyLoss());
    }

    public static Head binary() {
        return new Head(Kind.BINARY, 1, new BceWithLogitsLoss());
    }

    public static Head regression(int outputs, Loss loss) {
        return new Head(Kind.REGRESSION, outputs, loss == null ? new MseLoss() : loss);
    }

    /** The training loss of outputs against targets. */
    public Tensor lossOf(Tensor outputs, Tensor targets) {
        switch (kind) {
            case BINARY:
                return loss.compute(outputs, targets.reshape(targets.size(0), 1));
            case REGRESSION:
                return loss.compute(outputs, targets.dim() == 1 ? targets.reshape(targets.size(0), 1) : targets);
            default:
                return loss.compute(outputs, targets);
        }
    }

    @Override
    public Tensor loss(Tensor outputs, org.omomi.data.Batch batch) {
        return lossOf(outputs, batch.y());
    }

    /** Correct predictions of a classification head; NaN for regression. */
    @Override
    public double correct(Tensor outputs, org.omomi.data.Batch batch) {
        if (kind == Kind.REGRESSION) {
            return Double.NaN;
        }
        if (kind == Kind.BINARY && outputs.numel() == batch.y().numel()) {
            // predictions(outputs).eq(y).sum() in one loop: every step counts them, and as three
            // tensor operations they cost a logistic regression's step more than its product.
            float[] z = outputs.toArray();
            float[] y = batch.y().toArray();
            int n = 0;
            for (int i = 0; i < z.length; i++) {
                if ((z[i] > 0f ? 1f : 0f) == y[i]) {
                    n++;
                }
            }
            return n;
        }
        try (org.omomi.tensor.Autograd.Scope ignored = org.omomi.tensor.Autograd.noGrad()) {
            return predictions(outputs).eq(batch.y()).sum().item();
        }
    }

    /** Probabilities: softmax rows [N, C], or the sigmoid of the logit [N]; null for regression. */
    public Tensor probabilities(Tensor outputs) {
        switch (kind) {
            case MULTICLASS: return outputs.softmax(1);
            case BINARY: return outputs.sigmoid().reshape(outputs.size(0));
            default: return null;
        }
    }

    /** Predicted class indices [N], or predicted values [N, k] for regression. */
    public Tensor predictions(Tensor outputs) {
        switch (kind) {
            case MULTICLASS: return outputs.argmax(1, false);
            case BINARY: return outputs.reshape(outputs.size(0)).gt(0f); // σ(z) > ½ ⇔ z > 0
            default: return outputs;
        }
    }

    /** Every metric of outputs against targets, by name (no prefix), plus {@code extra} ones after them. */
    public Map<String, Double> metrics(Tensor outputs, Tensor targets, java.util.List<Metric> extra) {
        Map<String, Double> m = metrics(outputs, targets);
        for (Metric x : extra) {
            m.put(x.name(), x.of(outputs, targets));
        }
        return m;
    }

    /** Every metric of outputs against targets, by name (no prefix). */
    public Map<String, Double> metrics(Tensor outputs, Tensor targets) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", (double) lossOf(outputs, targets).item());
        float[] y = targets.toArray();
        if (kind == Kind.REGRESSION) {
            float[] p = outputs.toArray();
            m.put("mse", Metrics.meanSquaredError(p, y));
            m.put("mae", Metrics.meanAbsoluteError(p, y));
            m.put("r2", Metrics.r2(p, y));
            return m;
        }
        float[] predicted = predictions(outputs).toArray();
        float[] probs = probabilities(outputs).toArray();
        m.put("accuracy", Metrics.accuracy(predicted, y));
        int classes = kind == Kind.BINARY ? 2 : outputs.size(1);
        if (kind == Kind.MULTICLASS && classes > 5) {
            m.put("top5_accuracy", Metrics.topK(probs, classes, y, 5));
        }
        double[] prf = Metrics.precisionRecallF1(predicted, y, classes);
        m.put("precision", prf[0]);
        m.put("recall", prf[1]);
        m.put("f1", prf[2]);
        if (kind == Kind.BINARY) {
            m.put("roc_auc", Metrics.rocAuc(probs, y));
        }
        m.put("log_loss", Metrics.logLoss(probs, kind == Kind.BINARY ? 1 : classes, y));
        return m;
    }

    /** Name for files: multiclass, binary, regression. */
    public String kindName() {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The loss's name in model.json: ce, bce, mse, l1 or huber. */
    public String lossName() {
        if (loss instanceof org.omomi.loss.L1Loss) {
            return "l1";
        }
        if (loss instanceof org.omomi.loss.HuberLoss) {
            return "huber";
        }
        return kind == Kind.MULTICLASS ? "ce" : kind == Kind.BINARY ? "bce" : "mse";
    }

    /** The head as model.json keeps it: {@code kind}, {@code outputs}, {@code loss}, and the class names when known. */
    public Map<String, Object> toJson(java.util.List<String> classes) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("kind", kindName());
        h.put("outputs", (long) outputs);
        h.put("loss", lossName());
        if (classes != null && !classes.isEmpty()) {
            h.put("classes", new java.util.ArrayList<Object>(classes));
        }
        return h;
    }

    /** Reads {@link #toJson}'s form; errors say what is wrong. */
    public static Head fromJson(Map<String, Object> h) {
        String kind = String.valueOf(h.get("kind"));
        String loss = String.valueOf(h.get("loss"));
        if (!(h.get("outputs") instanceof Number outputs)) {
            throw new IllegalArgumentException("the head needs a number 'outputs'");
        }
        switch (kind) {
            case "multiclass": return multiclass(outputs.intValue());
            case "binary": return binary();
            case "regression":
                return regression(outputs.intValue(), loss.equals("l1") ? new org.omomi.loss.L1Loss()
                        : loss.equals("huber") ? new org.omomi.loss.HuberLoss() : new MseLoss());
            default: throw new IllegalArgumentException("unknown head kind '" + kind + "'");
        }
    }

    /** The class names in a head's JSON, or an empty list. */
    public static java.util.List<String> classesOf(Map<String, Object> h) {
        return h.get("classes") instanceof java.util.List<?> l ? l.stream().map(String::valueOf).toList() : java.util.List.of();
    }
}
