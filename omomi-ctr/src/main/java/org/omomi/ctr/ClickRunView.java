package org.omomi.ctr;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.omomi.dashboard.Block;
import org.omomi.dashboard.RunFiles;
import org.omomi.dashboard.RunView;

/**
 * The dashboard's view of a click run ({@code omomi ctr train}; the folder holds {@value CtrRun#CONFIG}):
 * the held-out metrics of metrics.json, the calibration plot — each equal-count bucket's observed
 * click rate over its mean predicted probability, with the diagonal of perfect calibration — and,
 * once {@code omomi ctr explain} has written importance.json, each feature's mean |Integrated
 * Gradients| as bars, largest first. Reads the run's files only.
 *
 * <p>Found by the dashboard through {@code META-INF/services/org.omomi.dashboard.RunView}; omomi-ctr
 * depends on omomi-dashboard optionally, so a library user of omomi-ctr does not get the server.
 */
public final class ClickRunView implements RunView {

    /** The held-out metrics shown, in this order, with their names on the page. */
    static final List<String[]> METRICS = List.of(
            new String[] {"auc", "ROC-AUC"},
            new String[] {"logloss", "log-loss"},
            new String[] {"normalized_entropy", "normalized entropy"},
            new String[] {"ece", "expected calibration error (ECE)"},
            new String[] {"ctr", "observed click rate"},
            new String[] {"mean_prediction", "mean predicted probability"},
            new String[] {"true_auc", "ROC-AUC of the generating model"},
            new String[] {"true_logloss", "log-loss of the generating model"},
            new String[] {"held_out_rows_evaluated", "held-out rows"});

    @Override
    public String id() {
        return "click-model";
    }

    @Override
    public String title() {
        return "Click model: calibration and feature importance";
    }

    @Override
    public boolean appliesTo(RunFiles run) {
        return run.has(CtrRun.CONFIG);
    }

    @Override
    public List<Block> blocks(RunFiles run, Map<String, String> params) {
        List<Block> out = new ArrayList<>();
        Map<String, Object> metrics = run.json("metrics.json");
        if (metrics.isEmpty()) {
            out.add(new Block.Text("No metrics.json yet: the run has not finished training."));
        } else {
            metrics(metrics, out);
            calibration(metrics, out);
        }
        importance(run.json("importance.json"), out);
        return out;
    }

    private static void metrics(Map<String, Object> metrics, List<Block> out) {
        List<List<Object>> rows = new ArrayList<>();
        for (String[] m : METRICS) {
            if (metrics.get(m[0]) instanceof Number n) {
                rows.add(List.of(m[1], n.doubleValue()));
            }
        }
        if (rows.isEmpty()) {
            out.add(new Block.Text("No held-out rows: the run was trained without a held-out split (--holdout 0)."));
            return;
        }
        out.add(new Block.Table("Held-out metrics (" + metrics.getOrDefault("model", "?") + ")", List.of("metric", "value"), rows));
    }

    private static void calibration(Map<String, Object> metrics, List<Block> out) {
        if (!(metrics.get("calibration") instanceof Map<?, ?> c) || !(c.get("table") instanceof List<?> table) || table.isEmpty()) {
            return;
        }
        List<Double> predicted = new ArrayList<>();
        List<Double> observed = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        for (Object o : table) {
            Map<?, ?> b = (Map<?, ?>) o;
            double p = number(b.get("mean_predicted"));
            double y = number(b.get("observed"));
            predicted.add(p);
            observed.add(y);
            rows.add(List.of((double) predicted.size(), number(b.get("rows")), p, y));
        }
        String ece = c.get("ece") instanceof Number n ? String.format(Locale.ROOT, " (ECE %.4f)", n.doubleValue()) : "";
        out.add(new Block.Lines("Calibration: observed click rate against predicted probability" + ece,
                "mean predicted probability (bucket of equal count)", "observed click rate", predicted,
                Map.of("observed", observed, "ideal", predicted)));
        out.add(new Block.Table("Calibration buckets", List.of("bucket", "rows", "mean predicted", "observed"), rows));
    }

    private static void importance(Map<String, Object> imp, List<Block> out) {
        if (!(imp.get("features") instanceof Map<?, ?> features) || features.isEmpty()) {
            out.add(new Block.Text("No importance.json: run 'omomi ctr explain RUN_DIR' to see which features weigh most."));
            return;
        }
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        features.forEach((name, f) -> { // written in decreasing order of mean |IG|
            labels.add(String.valueOf(name) + ("field".equals(((Map<?, ?>) f).get("kind")) ? " (field)" : ""));
            values.add(number(((Map<?, ?>) f).get("mean_abs_ig")));
        });
        String rows = imp.get("rows") instanceof Number n ? ", " + n.longValue() + " held-out rows" : "";
        out.add(new Block.Bars("Which features weigh most: mean |Integrated Gradients| of the logit" + rows, labels, values,
                "mean |attribution| to the logit"));
    }

    private static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
