package org.omomi.tour;

import java.util.Locale;
import org.omomi.data.TensorDataset;
import org.omomi.explain.Figure;
import org.omomi.explain.TrainingPlots;
import org.omomi.explain.WeightPictures;
import org.omomi.explain.plot.LineChart;
import org.omomi.nn.Conv2d;
import org.omomi.tensor.Tensor;
import org.omomi.train.Trainer;

/**
 * Part 9a: the first convolution's filters before and after training, and the feature maps they
 * produce: what the early layer of a CNN learns.
 */
public final class FiltersExperiment implements Experiment {

    @Override
    public String name() {
        return "filters";
    }

    @Override
    public java.util.List<String> flags() {
        return java.util.List.of("cnn-steps");
    }

    @Override
    public Part run(Setting s) {
        SharedCnn.Trained t = SharedCnn.of(s);
        Part p = new Part(name(), Text.of("CNN filters and feature maps", "CNN のフィルタと特徴マップ"));
        TensorDataset test = s.images().testPrefix(2000);
        double before = Trainer.evaluate(t.initial(), Images.HEAD, test).get("accuracy");
        double after = Trainer.evaluate(t.trained(), Images.HEAD, test).get("accuracy");
        p.say(String.format(Locale.ROOT, "The built-in CNN (conv 32 → pool → conv 64 → pool → dense 128 → dense 10) trained for %d steps of 128 images with Adam. "
                        + "Test accuracy on %,d images rose from %.1f%% (random weights) to %.1f%%.", t.steps(), test.size(), 100 * before, 100 * after),
                String.format(Locale.ROOT, "組み込みの CNN（畳み込み 32 → プーリング → 畳み込み 64 → プーリング → 全結合 128 → 全結合 10）を Adam で 128 枚ずつ %d ステップ学習しました。"
                        + "テストデータ %,d 枚の精度（正解率）は %.1f%%（ランダムな重み）から %.1f%% に上がりました。", t.steps(), test.size(), 100 * before, 100 * after));
        LineChart curve = new LineChart("Training loss", "step", "cross-entropy");
        curve.series("loss (EMA 0.9)", Fit.count(t.losses().length), TrainingPlots.ema(t.losses(), 0.9));
        p.picture(new Figure("filters-loss.png", "Training loss", "", curve.render(760, 380)),
                Text.of("Training loss of the CNN", "CNN の学習の損失"),
                Text.of("Per-step cross-entropy, smoothed by an exponential moving average with weight 0.9.", "ステップごとの Cross-Entropy（重み 0.9 の指数移動平均で平滑化）。"));
        p.picture(new Figure("filters-before.png", "Filters before", "", WeightPictures.filters(t.initial(), "1").render()),
                Text.of("First-layer filters before training", "学習前の第1層のフィルタ"),
                Text.of("The 32 filters (3×3) at their random initial values, each scaled by its own min–max: black is its most negative weight, white its most positive.",
                        "初期値（ランダム）の 32 個のフィルタ（3×3）。フィルタごとに最小値から最大値へ濃淡を割り当てています（黒が最も負、白が最も正の重み）。"));
        p.picture(new Figure("filters-after.png", "Filters after", "", WeightPictures.filters(t.trained(), "1").render()),
                Text.of("First-layer filters after training", "学習後の第1層のフィルタ"),
                Text.of("The same filters after training, scaled the same way. A 3×3 filter is a tiny pattern: a dark weight beside a bright one responds to an edge in that direction.",
                        "学習後の同じフィルタ（同じ濃淡の付け方）。3×3 のフィルタは小さなパターンで、暗い重みと明るい重みが並ぶと、その向きのエッジに反応します。"));
        Tensor x = test.x().slice(0, 0, 1).contiguous();
        p.picture(new Figure("filters-feature-maps.png", "Feature maps", "", WeightPictures.featureMaps(t.trained(), "2", x).render()),
                Text.of("Feature maps of the first layer", "第1層の特徴マップ"),
                Text.of("The first layer's 32 outputs after ReLU for test image 0: each filter lights up where its pattern — an edge of some orientation, a bright or dark area — occurs.",
                        "テスト画像 0 に対する第1層の 32 個の出力（ReLU 後）。各フィルタは、自分のパターン（ある向きのエッジ、明るい領域や暗い領域）がある場所で明るくなります。"));
        double change = relativeChange(t.initial().module("1"), t.trained().module("1"));
        double edgeBefore = edgeMatch(t.initial().module("1"));
        double edgeAfter = edgeMatch(t.trained().module("1"));
        p.say(String.format(Locale.ROOT, "Training moved the first-layer weights by %.0f%% of their initial norm (‖w − w₀‖ / ‖w₀‖). Matched against the four 3×3 Sobel edge "
                        + "detectors (horizontal, vertical, two diagonals), a filter's best correlation averages %.2f before training and %.2f after.", 100 * change, edgeBefore, edgeAfter),
                String.format(Locale.ROOT, "学習によって第1層の重みは初期のノルムの %.0f%% 動きました（‖w − w₀‖ / ‖w₀‖）。3×3 の Sobel エッジ検出器 4 種（横・縦・2 つの斜め）との相関の最大値は、"
                        + "フィルタ平均で学習前 %.2f、学習後 %.2f です。", 100 * change, edgeBefore, edgeAfter));
        p.number("steps", (long) t.steps());
        p.number("test_accuracy_before", before);
        p.number("test_accuracy_after", after);
        p.number("relative_change", change);
        p.number("sobel_match_before", edgeBefore);
        p.number("sobel_match_after", edgeAfter);
        p.claim("learns", "Training turns random filters into a working classifier (test accuracy above 60%, from about 10%).",
                "学習でランダムなフィルタが働く分類器に変わります（テスト精度が約 10% から 60% 超へ）。",
                after > 0.6 && before < 0.25, String.format(Locale.ROOT, "%.1f%% → %.1f%%", 100 * before, 100 * after));
        p.claim("filters_move", "Training reshapes the first-layer filters: they move by more than 5% of their norm (how far exactly is in the paragraph above).",
                "学習によって第1層のフィルタの形が変わります：ノルムの 5% を超えて動きます（正確な値は上の段落にあります）。",
                change > 0.05, String.format(Locale.ROOT, "‖w − w₀‖ / ‖w₀‖ = %.2f", change));
        return p;
    }

    static double relativeChange(org.omomi.nn.Module before, org.omomi.nn.Module after) {
        float[] a = ((Conv2d) before).weight().toArray();
        float[] b = ((Conv2d) after).weight().toArray();
        double d = 0;
        double n = 0;
        for (int i = 0; i < a.length; i++) {
            d += (b[i] - a[i]) * (double) (b[i] - a[i]);
            n += a[i] * (double) a[i];
        }
        return Math.sqrt(d / n);
    }

    private static final double[][] SOBEL = {
        {-1, 0, 1, -2, 0, 2, -1, 0, 1}, {-1, -2, -1, 0, 0, 0, 1, 2, 1}, {0, 1, 2, -1, 0, 1, -2, -1, 0}, {-2, -1, 0, -1, 0, 1, 0, 1, 2}};

    /** Mean over 3×3 filters of the largest |correlation| with the four Sobel edge detectors. */
    static double edgeMatch(org.omomi.nn.Module m) {
        Conv2d conv = (Conv2d) m;
        float[] w = conv.weight().toArray();
        int filters = w.length / 9;
        double total = 0;
        for (int f = 0; f < filters; f++) {
            double mean = 0;
            for (int i = 0; i < 9; i++) {
                mean += w[f * 9 + i] / 9.0;
            }
            double best = 0;
            for (double[] t : SOBEL) {
                double dot = 0;
                double ww = 0;
                double tt = 0;
                for (int i = 0; i < 9; i++) {
                    double a = w[f * 9 + i] - mean;
                    dot += a * t[i];
                    ww += a * a;
                    tt += t[i] * t[i];
                }
                best = Math.max(best, ww == 0 ? 0 : Math.abs(dot) / Math.sqrt(ww * tt));
            }
            total += best;
        }
        return total / filters;
    }
}
