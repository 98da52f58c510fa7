package org.omomi.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.omomi.explain.plot.LineChart;
import org.omomi.explain.plot.RidgePlot;

/**
 * Pictures of training, drawn from the run log: loss and metric curves, weight histograms across
 * epochs (ridge view) and percentile bands, gradient norms, update/weight ratios and dead ReLUs.
 *
 * <p>Epoch curves are drawn unsmoothed: each point is already a mean over an epoch. Step curves
 * (runs with {@code --log-every}) show the raw per-batch loss dashed and an exponential moving
 * average with weight {@value #EMA} (TensorBoard's default smoothing) solid.
 */
public final class TrainingPlots {

    /** The weight of the previous average in the step-loss smoothing: s_t = 0.6·s_{t−1} + 0.4·x_t. */
    public static final double EMA = 0.6;

    private static final int W = 820;
    private static final int H = 460;

    private TrainingPlots() {}

    /** Every training picture the log supports, in reading order. */
    public static List<Figure> of(LogSeries log) {
        List<Figure> out = new ArrayList<>();
        if (log.epochs().isEmpty()) {
            return out;
        }
        double[] ep = epochAxis(log);
        boolean few = ep.length <= 30;
        // Loss.
        LineChart loss = new LineChart("Loss", "epoch", "loss").markers(few);
        loss.series("train", ep, log.epochSeries("train", "loss"));
        double[] valLoss = log.epochSeries("val", "loss");
        if (anyFinite(valLoss)) {
            loss.series("validation", ep, valLoss);
        }
        out.add(new Figure("loss.png", "Loss per epoch",
                "Train: mean data loss over the epoch's batches, each taken before its step (penalties excluded). "
                        + "Validation: after the epoch, in evaluation mode. Unsmoothed.", loss.render(W, H)));
        if (!log.steps().isEmpty()) {
            double[] st = log.stepSeries("step");
            double[] raw = log.stepSeries("loss");
            LineChart steps = new LineChart("Loss per logged step", "step", "loss");
            steps.series("raw", st, raw, true);
            steps.series("EMA " + EMA, st, ema(raw, EMA));
            out.add(new Figure("loss-steps.png", "Loss per logged step",
                    "Dashed: the loss of each logged batch. Solid: exponential moving average s = " + EMA + "·s + " + (1 - EMA) + "·loss.",
                    steps.render(W, H)));
        }
        // Metrics on [0, 1] (accuracy and friends), train and validation.
        LineChart metrics = new LineChart("Metrics", "epoch", "value").markers(few);
        int drawn = 0;
        for (String split : new String[] {"train", "val"}) {
            for (String m : log.metricNames(split)) {
                if (m.equals("loss") || m.equals("log_loss") || m.equals("mse") || m.equals("mae")) {
                    continue;
                }
                double[] y = log.epochSeries(split, m);
                if (anyFinite(y)) {
                    metrics.series((split.equals("val") ? "validation " : "train ") + m.replace('_', ' '), ep, y, split.equals("train"));
                    drawn++;
                }
            }
        }
        if (drawn > 0) {
            out.add(new Figure("metrics.png", "Metrics per epoch",
                    "Dashed: on the training batches as they were seen during the epoch. Solid: on the validation set after the epoch. Unsmoothed.",
                    metrics.render(W, H)));
        }
        double[] mse = log.epochSeries("val", "mse");
        if (anyFinite(mse)) {
            LineChart reg = new LineChart("Regression error (validation)", "epoch", "error").markers(few).logY(true);
            reg.series("MSE", ep, mse);
            reg.series("MAE", ep, log.epochSeries("val", "mae"));
            out.add(new Figure("regression.png", "Regression error", "Validation MSE and MAE after each epoch, log scale.", reg.render(W, H)));
        }
        double[] lr = log.epochSeries("lr");
        if (!constant(lr)) { // a constant rate is said in the summary table; a chart of it says nothing more
            LineChart l = new LineChart("Learning rate", "epoch", "learning rate").markers(few);
            l.series("lr", ep, lr);
            out.add(new Figure("lr.png", "Learning rate", "The first parameter group's learning rate after each epoch.", l.render(W, H)));
        }
        // Per layer: weight histograms and percentile bands.
        List<String> layers = layerWeights(log);
        for (String p : layers) {
            RidgePlot ridge = new RidgePlot("Weights of " + p + " across epochs", "weight value");
            List<LogSeries.Hist> hs = log.histograms(p, "weight");
            int every = Math.max(1, (hs.size() + 19) / 20); // at most about 20 rows stay readable
            int rows = 0;
            for (int i = 0; i < hs.size(); i++) {
                if (hs.get(i) != null && (i % every == 0 || i == hs.size() - 1)) {
                    ridge.add("epoch " + (long) ep[i], hs.get(i).lo(), hs.get(i).hi(), hs.get(i).counts());
                    rows++;
                }
            }
            if (rows > 0) { // logs written before histograms were recorded have none
                out.add(new Figure("weights-" + Figure.safe(p) + "-histograms.png", "Weight histograms: " + p,
                        "One row per epoch (the last epoch in front), 30 equal bins over the finite values, each row scaled to its own peak.",
                        ridge.render(W)));
            }
            LineChart bands = new LineChart("Weights of " + p + ": percentiles over time", "epoch", "weight value").markers(few);
            bands.band("p2.3 – p97.7 (±2σ-equivalent)", ep, log.percentileSeries(p, "weight", "p2.3", 2.275), log.percentileSeries(p, "weight", "p97.7", 97.725), 0);
            bands.band("p15.9 – p84.1 (±1σ-equivalent)", ep, log.percentileSeries(p, "weight", "p15.9", 15.866), log.percentileSeries(p, "weight", "p84.1", 84.134), 0);
            bands.series("median", ep, log.percentileSeries(p, "weight", "p50", 50));
            bands.series("min", ep, log.epochSeries("params", p, "weight", "min"), true);
            bands.series("max", ep, log.epochSeries("params", p, "weight", "max"), true);
            if (!bands.hasData()) {
                continue;
            }
            out.add(new Figure("weights-" + Figure.safe(p) + "-percentiles.png", "Weight percentiles: " + p,
                    "Shaded: the bands a normal distribution would fill at ±1σ and ±2σ, read as percentiles, so heavy tails show. "
                            + "Older run logs without recorded percentiles are estimated from the histogram.",
                    bands.render(W, H)));
        }
        if (!layers.isEmpty()) {
            LineChart g = new LineChart("Gradient L2 norm per layer", "epoch", "‖∂loss/∂w‖₂").markers(few).logY(true);
            LineChart u = new LineChart("Update / weight ratio per layer", "epoch", "‖Δw‖ / ‖w‖").markers(few).logY(true);
            for (String p : layers) {
                g.series(p, ep, log.epochSeries("params", p, "grad", "l2"));
                u.series(p, ep, log.epochSeries("params", p, "update_ratio"));
            }
            double[] ref = new double[ep.length];
            java.util.Arrays.fill(ref, 1e-3);
            boolean updates = u.hasData(); // before the reference line, which is always drawable
            u.series("1e-3 (rule of thumb)", ep, ref, true);
            if (g.hasData()) {
                out.add(new Figure("grad-norm.png", "Gradient norms",
                        "The gradient of each layer's weight at the epoch's last step, log scale. Vanishing gradients show as lines falling towards the input layers.",
                        g.render(W, H)));
            }
            if (updates) {
                out.add(new Figure("update-ratio.png", "Update/weight ratio",
                        "‖Δw‖/‖w‖ of the epoch's last optimizer step, log scale. Around 1e-3 is the classic healthy value; far below, the layer barely learns; far above, it thrashes.",
                        u.render(W, H)));
            }
        }
        List<String> relus = log.activationNames();
        if (!relus.isEmpty()) {
            LineChart d = new LineChart("Dead ReLUs", "epoch", "fraction of units").markers(few);
            for (String r : relus) {
                d.series(r, ep, log.epochSeries("activations", r, "dead_fraction"));
            }
            if (d.hasData()) {
                out.add(new Figure("dead-relu.png", "Dead ReLUs",
                        "Share of units (features of a dense layer, channels of a convolution) whose output is zero for every one of 256 probe examples, after each epoch.",
                        d.render(W, H)));
            }
        }
        return out;
    }

    /** Weight matrices and kernels (rank ≥ 2): the layers whose pictures say something. */
    static List<String> layerWeights(LogSeries log) {
        List<String> out = new ArrayList<>();
        if (log.epochs().isEmpty()) {
            return out;
        }
        Map<String, Object> last = log.epochs().get(log.epochs().size() - 1);
        for (String p : log.parameterNames()) {
            if (LogSeries.at(last, "params", p, "shape") instanceof List<?> s && s.size() >= 2) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Exponential moving average of a per-step curve, s_t = w·s_{t−1} + (1 − w)·x_t, starting at the
     * first finite value. A non-finite x_t is skipped (the average carries over it) and stays NaN in
     * the result, so a chart shows a gap where the curve has one (a diverged step) instead of a
     * made-up value. The one smoothing of step losses in omomi: the inspect report and the tour draw with it.
     */
    public static double[] ema(double[] x, double w) {
        double[] s = new double[x.length];
        double acc = Double.NaN;
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i])) {
                acc = Double.isNaN(acc) ? x[i] : w * acc + (1 - w) * x[i];
                s[i] = acc;
            } else {
                s[i] = Double.NaN;
            }
        }
        return s;
    }

    /**
     * The epoch numbers, or the record's position (1, 2, …) where a record has none, so that a log
     * without epoch numbers still has an x axis.
     */
    private static double[] epochAxis(LogSeries log) {
        double[] ep = log.epochNumbers();
        for (int i = 0; i < ep.length; i++) {
            if (!Double.isFinite(ep[i])) {
                ep[i] = i + 1;
            }
        }
        return ep;
    }

    private static boolean anyFinite(double[] v) {
        for (double d : v) {
            if (Double.isFinite(d)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the finite values are all one value (or there are none). */
    private static boolean constant(double[] v) {
        double first = Double.NaN;
        for (double d : v) {
            if (Double.isFinite(d)) {
                if (Double.isNaN(first)) {
                    first = d;
                } else if (d != first) {
                    return false;
                }
            }
        }
        return true;
    }
}
