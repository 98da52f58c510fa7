package org.omomi.tour;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.omomi.explain.TrainingPlots;
import org.omomi.explain.plot.LineChart;

/**
 * Variants of one network trained from the same weights on the same mini-batches, compared by
 * their loss curves: the chart, the table and the numbers the optimizers and init-training parts
 * share.
 */
final class Comparison {

    /** The weight on the past of the exponential moving average the loss curves are drawn with (about the last 20 steps). */
    static final double SMOOTHING = 0.95;

    /** One trained variant: its tour.json key, its label, its per-step losses, their mean over the last steps, its test accuracy. */
    record Run(String key, String name, double[] losses, double tail, double accuracy) {}

    private Comparison() {}

    /** The smoothed loss curves on one chart. */
    static LineChart chart(String title, List<Run> runs) {
        LineChart chart = new LineChart(title, "step", "cross-entropy (smoothed)");
        for (Run r : runs) {
            chart.series(r.name(), Fit.count(r.losses().length), TrainingPlots.ema(r.losses(), SMOOTHING));
        }
        return chart;
    }

    /**
     * A row per variant (final loss, test accuracy) under a first column named {@code variant},
     * and the numbers: tail_steps, final_loss, test_accuracy and the loss curves, by key.
     */
    static void report(Part part, Text variant, List<Run> runs, int tailSteps) {
        List<List<String>> rows = new ArrayList<>();
        Map<String, Object> finalLoss = new LinkedHashMap<>();
        Map<String, Object> accuracy = new LinkedHashMap<>();
        Map<String, Object> curves = new LinkedHashMap<>();
        for (Run r : runs) {
            rows.add(List.of(r.name(), String.format(Locale.ROOT, "%.4f", r.tail()), String.format(Locale.ROOT, "%.1f%%", 100 * r.accuracy())));
            finalLoss.put(r.key(), r.tail());
            accuracy.put(r.key(), r.accuracy());
            curves.put(r.key(), Fit.list(r.losses()));
        }
        part.table(List.of(variant,
                        Text.of("training loss, mean of last " + tailSteps + " steps", "訓練損失（最後の " + tailSteps + " 反復の平均）"),
                        Text.of("test accuracy", "テストデータの精度（正解率）")),
                rows);
        part.number("tail_steps", tailSteps);
        part.number("final_loss", finalLoss);
        part.number("test_accuracy", accuracy);
        part.number("losses", curves);
    }
}
