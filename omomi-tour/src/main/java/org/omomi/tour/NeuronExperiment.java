package org.omomi.tour;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.omomi.explain.Figure;
import org.omomi.explain.plot.LineChart;
import org.omomi.tensor.Tensor;

/**
 * Part 1: one neuron. z = w₁x₁ + w₂x₂ + w₃x₃ + b with the article's ad-click numbers, then an
 * activation, computed by omomi's tensors and by hand.
 */
public final class NeuronExperiment implements Experiment {

    static final float[] X = {0.3f, 0.8f, 0.5f};  // user age (scaled to 0–1), interest-category match, ad frequency (scaled)
    static final float[] W = {0.1f, 0.9f, 0.4f};  // the article's starting weights
    static final float B = -0.5f;

    @Override
    public String name() {
        return "neuron";
    }

    @Override
    public Part run(Setting s) {
        Part p = new Part(name(), Text.of("One neuron: z = Σ wᵢxᵢ + b, then an activation", "1つのニューロン：z = Σ wᵢxᵢ + b と活性化関数"));
        Tensor x = Tensor.vector(X);
        Tensor w = Tensor.vector(W);
        double z = w.mul(x).sum().add(B).item();
        double byHand = 0;
        List<List<Text>> rows = new ArrayList<>();
        Text[] names = {Text.of("x₁ user age (scaled)", "x₁ ユーザーの年齢（スケーリング済み）"), Text.of("x₂ interest-category match", "x₂ 興味カテゴリ一致度"),
            Text.of("x₃ ad frequency (scaled)", "x₃ 広告の表示頻度（スケーリング済み）")};
        for (int i = 0; i < 3; i++) {
            byHand += (double) W[i] * X[i];
            rows.add(List.of(names[i], same(f(X[i])), same(f(W[i])), same(f((double) W[i] * X[i]))));
        }
        byHand += B;
        rows.add(List.of(Text.of("b (bias)", "b（バイアス）"), same(""), same(f(B)), same(f(B))));
        rows.add(List.of(same("z"), same(""), same(""), same(f(z))));
        double sigmoid = Tensor.scalar((float) z).sigmoid().item();
        double tanh = Tensor.scalar((float) z).tanh().item();
        double relu = Tensor.scalar((float) z).relu().item();
        p.say("A neuron weighs each input, adds them up with a bias, and passes the sum z through an activation function. "
                        + "Here are the article's ad-click inputs and starting weights: interest match has the largest weight, 0.9, so it moves z the most.",
                "ニューロンは入力ごとに重みを掛けて足し合わせ（線形結合）、バイアスを加えた z を活性化関数に通します。"
                        + "入力と初期の重みは記事の広告クリックの例のとおりで、興味カテゴリ一致度の重み 0.9 が最も大きく、z を最も大きく動かします。");
        p.textTable(List.of(Text.of("input", "入力"), Text.of("x", "x"), Text.of("weight w", "重み w"), Text.of("w·x", "w·x")), rows);
        p.say(String.format(Locale.ROOT, "z = %.4f. Through a sigmoid the click probability is σ(z) = %.4f; tanh(z) = %.4f; ReLU(z) = %.4f.", z, sigmoid, tanh, relu),
                String.format(Locale.ROOT, "z = %.4f。シグモイドを通すとクリック確率 σ(z) = %.4f、tanh(z) = %.4f、ReLU(z) = %.4f です。", z, sigmoid, tanh, relu));
        double[] zs = new double[121];
        double[][] ys = new double[3][121];
        for (int i = 0; i < zs.length; i++) {
            zs[i] = -6 + 0.1 * i;
            ys[0][i] = 1 / (1 + Math.exp(-zs[i]));
            ys[1][i] = Math.tanh(zs[i]);
            ys[2][i] = Math.max(0, zs[i]);
        }
        LineChart chart = new LineChart("Activation functions", "z", "activation");
        chart.series("sigmoid", zs, ys[0]);
        chart.series("tanh", zs, ys[1]);
        chart.series("ReLU", zs, clip(ys[2], 3));
        chart.series("this neuron's z", new double[] {z, z}, new double[] {-1, 3}, true);
        p.picture(new Figure("neuron-activations.png", "Activation functions", "", chart.render(760, 420)),
                Text.of("Activation functions", "活性化関数"),
                Text.of("Sigmoid squashes z into (0, 1), tanh into (−1, 1); ReLU keeps positive z and zeroes the rest (drawn up to 3). The dashed line marks this neuron's z.",
                        "シグモイドは z を (0, 1) に、tanh は (−1, 1) に押し込みます。ReLU は正の z をそのまま通し、負は 0 にします（3 まで表示）。破線はこのニューロンの z です。"));
        p.number("x", List.of((double) X[0], (double) X[1], (double) X[2]));
        p.number("w", List.of((double) W[0], (double) W[1], (double) W[2]));
        p.number("b", (double) B);
        p.number("z", z);
        p.number("sigmoid", sigmoid);
        p.number("tanh", tanh);
        p.number("relu", relu);
        p.claim("z_matches_hand_sum", "omomi's tensor computation of z equals the sum written out by hand.",
                "omomi のテンソル計算による z は、手で書き下した和と一致します。", Math.abs(z - byHand) < 1e-6,
                String.format(Locale.ROOT, "tensor %.7f, by hand %.7f", z, byHand));
        return p;
    }

    private static double[] clip(double[] v, double hi) {
        double[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = out[i] > hi ? Double.NaN : out[i];
        }
        return out;
    }

    static Text same(String s) {
        return Text.of(s, s);
    }

    static String f(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
