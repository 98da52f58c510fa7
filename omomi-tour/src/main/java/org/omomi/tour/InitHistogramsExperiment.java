package org.omomi.tour;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.omomi.explain.Figure;
import org.omomi.explain.plot.LineChart;
import org.omomi.explain.plot.RidgePlot;
import org.omomi.init.Init;
import org.omomi.init.Initializer;
import org.omomi.nn.Activation;
import org.omomi.nn.Dense;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.train.Histogram;

/**
 * What the initial weights do to activations, before any training: 1,000 inputs x ~ N(0, 1) of 100
 * features pass through 5 layers of 100 units without bias, for weights drawn with std 1, std 0.01,
 * Xavier/Glorot normal (std √(2 / (100 + 100)) = 0.1) and He/Kaiming normal (std √(2 / 100) ≈ 0.14),
 * each with sigmoid, tanh and ReLU. The weights of an initialization are the same for all three
 * activations, and the inputs the same for all twelve networks.
 *
 * <p>Measured per network and layer: mean and standard deviation of the activations, the share
 * saturated (sigmoid below 0.01 or above 0.99; tanh |a| above 0.99) and, for ReLU, the share of
 * exact zeros.
 */
public final class InitHistogramsExperiment implements Experiment {

    static final int SAMPLES = 1000;
    static final int WIDTH = 100;
    static final int LAYERS = 5;
    static final int BINS = 40;

    public InitHistogramsExperiment() {}

    @Override
    public String name() {
        return "init-histograms";
    }

    private record Scheme(String key, String label, Initializer init) {}

    private record Act(String key, String label, String ja, Activation module) {}

    /** One network's activations, layer by layer, and their statistics. */
    private record Layers(float[][] values, double[] mean, double[] std, double[] low, double[] high, double[] zeros) {

        double ratio() {
            return std[LAYERS - 1] / std[0];
        }

        double saturated(int l) {
            return low[l] + high[l];
        }

        double maxSaturated() {
            double m = 0;
            for (int l = 0; l < LAYERS; l++) {
                m = Math.max(m, saturated(l));
            }
            return m;
        }
    }

    @Override
    public Part run(Setting setting) {
        List<Scheme> schemes = List.of(
                new Scheme("std1", "std 1", Init.normal(0, 1)),
                new Scheme("std0.01", "std 0.01", Init.normal(0, 0.01f)),
                new Scheme("xavier", "Xavier", Init.xavierNormal()),
                new Scheme("he", "He", Init.heNormal()));
        List<Act> acts = List.of(
                new Act("sigmoid", "sigmoid", "シグモイド", Activation.sigmoid()),
                new Act("tanh", "tanh", "tanh", Activation.tanh()),
                new Act("relu", "ReLU", "ReLU", Activation.relu()));
        Rng rng = new Rng(setting.seed() * 7_919L + 3);
        Tensor x = Tensor.randn(rng, SAMPLES, WIDTH);
        Map<String, Layers> nets = new LinkedHashMap<>();
        for (Scheme s : schemes) {
            // One generator per initialization, so its weights are the same under every activation.
            Rng weights = rng.split();
            List<Dense> layers = new ArrayList<>();
            for (int l = 0; l < LAYERS; l++) {
                layers.add(new Dense(WIDTH, WIDTH, false, weights, s.init, Init.zeros()));
            }
            for (Act a : acts) {
                nets.put(a.key + "/" + s.key, forward(x, layers, a));
            }
        }

        Part part = new Part(name(), Text.of("Initialization and the activations of a deep network", "初期化と深いネットワークの活性化"));
        part.say("Before any training, 1,000 random inputs (100 features, each N(0, 1)) pass through 5 layers of 100 neurons without bias. "
                        + "The weights are drawn four ways: normal with std 1, normal with std 0.01, Xavier (Glorot) normal with variance "
                        + "2 / (fan_in + fan_out), so std 0.1 here, and He (Kaiming) normal with variance 2 / fan_in, std 0.14. Each set of "
                        + "weights is used with sigmoid, tanh and ReLU.",
                "学習を始める前の段階で、1,000 個のランダムな入力（特徴量100個、各 N(0, 1)）を、バイアスなし・ニューロン100個の層5つに通します。"
                        + "重みの初期化は4通りです：標準偏差1の正規分布、標準偏差0.01の正規分布、Xavier 初期化（分散 2 / (fan_in + fan_out)、ここでは標準偏差0.1）、"
                        + "He 初期化（分散 2 / fan_in、標準偏差0.14）。同じ重みをシグモイド・tanh・ReLU の3つの活性化関数で使います。");
        part.say("What to look for: whether the histograms keep their width from layer 1 to layer 5. If they pile up at the ends of sigmoid "
                        + "or tanh (saturation), or shrink to a spike, the gradients in those layers become tiny (vanishing gradients); if they "
                        + "grow without bound, they explode. Keeping the variance between layers steady is the point of Xavier and He initialization.",
                "注目点は、ヒストグラムの幅が1層目から5層目まで保たれるかどうかです。シグモイドや tanh の両端に張り付く（飽和する）か、"
                        + "1点に縮んでしまうと、その層の勾配はほとんど0になります（勾配消失）。際限なく広がれば勾配爆発です。"
                        + "層間の分散を一定に保つことが、Xavier 初期化と He 初期化のねらいです。");

        for (Act a : acts) {
            List<BufferedImage> panels = new ArrayList<>();
            for (Scheme s : schemes) {
                Layers n = nets.get(a.key + "/" + s.key);
                RidgePlot ridge = new RidgePlot(String.format(Locale.ROOT, "%s, %s: std %.2g (layer 1) to %.2g (layer 5)", a.label, s.label, n.std[0], n.std[LAYERS - 1]),
                        a.key.equals("relu") ? "activation (non-zero values)" : "activation");
                for (int l = 0; l < LAYERS; l++) {
                    Histogram h = Histogram.of(a.key.equals("relu") ? positive(n.values[l]) : n.values[l], BINS);
                    ridge.add("layer " + (l + 1), h.lo(), h.hi(), h.counts());
                }
                panels.add(ridge.render(560, 400));
            }
            boolean relu = a.key.equals("relu");
            part.picture(new Figure("init-histograms-" + a.key + ".png", a.label + " activations by initialization",
                            "Histograms of " + a.label + " activations in layers 1 to 5 for four initializations", grid(panels, 2)),
                    Text.of(a.label + " activations, layers 1–5, under four initializations", a.ja + " の活性化の分布（1〜5層目、4通りの初期化）"),
                    Text.of("One panel per initialization, one row per layer (layer 1 at the top), 40 equal bins over each panel's own range, "
                                    + "each row scaled to its own tallest bin; a panel's title gives the standard deviation in layers 1 and 5 (all layers are in the table)."
                                    + (relu ? " ReLU panels show only the non-zero activations; the share of exact zeros is in the table." : ""),
                            "初期化ごとに1枚のパネル、層ごとに1行（上が1層目）です。各パネル自身の範囲を40の等しい区間に分け、各行はその最大の区間の高さで揃えています。"
                                    + "パネルの見出しには1層目と5層目の標準偏差を示しています（全層の値は表にあります）。"
                                    + (relu ? "ReLU のパネルは0でない活性化だけを描いています。ちょうど0になった割合は表にあります。" : "")));
        }

        List<BufferedImage> spreadPanels = new ArrayList<>();
        double[] layerAxis = Fit.count(LAYERS);
        for (Act a : acts) {
            LineChart spread = new LineChart(a.label, "layer", "std of activations (log)").logY(true).markers(true);
            // One legend, in the last panel (where it fits inside the plot); the colors are the same in all three.
            boolean legend = a == acts.get(acts.size() - 1);
            for (Scheme s : schemes) {
                spread.series(legend ? s.label : "", layerAxis, nets.get(a.key + "/" + s.key).std);
            }
            spreadPanels.add(spread.render(540, 420));
        }
        part.picture(new Figure("init-histograms-spread.png", "Spread of activations by layer",
                        "Standard deviation of activations by layer, log scale", grid(spreadPanels, 3)),
                Text.of("Spread of the activations, layer by layer", "層ごとの活性化の広がり"),
                Text.of("Standard deviation of the 100,000 activations of each layer, on a log scale; one panel per activation function, "
                                + "the same colors in each (legend in the ReLU panel).",
                        "各層の活性化（100,000 個）の標準偏差を対数目盛で示しています。活性化関数ごとに1枚のパネルで、色の対応はすべて同じです（凡例は ReLU のパネル）。"));

        List<List<String>> rows = new ArrayList<>();
        Map<String, Object> numbers = new LinkedHashMap<>();
        for (Act a : acts) {
            for (Scheme s : schemes) {
                Layers n = nets.get(a.key + "/" + s.key);
                double[] share = a.key.equals("relu") ? n.zeros : new double[LAYERS];
                if (!a.key.equals("relu")) {
                    for (int l = 0; l < LAYERS; l++) {
                        share[l] = n.saturated(l);
                    }
                }
                rows.add(List.of(a.label, s.label, stds(n), String.format(Locale.ROOT, "%.3g", n.mean[LAYERS - 1]),
                        percents(share)));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("mean", Fit.list(n.mean));
                m.put("std", Fit.list(n.std));
                if (a.key.equals("relu")) {
                    m.put("zero_share", Fit.list(n.zeros));
                } else {
                    m.put("saturated_share", Fit.list(share));
                    m.put("low_share", Fit.list(n.low));
                    m.put("high_share", Fit.list(n.high));
                }
                m.put("std_ratio_layer5_to_layer1", n.ratio());
                numbers.put(a.key + "/" + s.key, m);
            }
        }
        part.table(List.of(Text.of("activation", "活性化関数"), Text.of("initialization", "初期化"),
                        Text.of("std, layers 1→5", "標準偏差（1→5層）"), Text.of("mean, layer 5", "平均（5層目）"),
                        Text.of("saturated (sigmoid, tanh) or zero (ReLU) share, layers 1→5", "飽和（シグモイド・tanh）または0（ReLU）の割合（1→5層）")),
                rows);
        part.number("samples", SAMPLES);
        part.number("width", WIDTH);
        part.number("layers", LAYERS);
        part.number("networks", numbers);

        Layers sig1 = nets.get("sigmoid/std1");
        double minSat = 1;
        double minLow = 1;
        double minHigh = 1;
        for (int l = 0; l < LAYERS; l++) {
            minSat = Math.min(minSat, sig1.saturated(l));
            minLow = Math.min(minLow, sig1.low[l]);
            minHigh = Math.min(minHigh, sig1.high[l]);
        }
        part.claim("sigmoid_std1_saturates",
                "With std 1, sigmoid saturates: in every layer at least 30% of the activations are below 0.01 or above 0.99, with at least 10% at each end.",
                "標準偏差1では、シグモイドが飽和します。どの層でも活性化の30%以上が0.01未満か0.99超で、両端それぞれに10%以上が集まります。",
                minSat > 0.3 && minLow > 0.1 && minHigh > 0.1,
                String.format(Locale.ROOT, "sigmoid, std 1: saturated %s; below 0.01 %s; above 0.99 %s",
                        percents(sat(sig1)), percents(sig1.low), percents(sig1.high)));

        Layers sigSmall = nets.get("sigmoid/std0.01");
        Layers tanhSmall = nets.get("tanh/std0.01");
        Layers reluSmall = nets.get("relu/std0.01");
        double sigSmallMax = java.util.Arrays.stream(sigSmall.std).max().orElse(Double.NaN);
        part.claim("std001_collapses",
                "With std 0.01 the activations collapse: under tanh and ReLU their spread in layer 5 is less than a thousandth of layer 1's, "
                        + "and under sigmoid every neuron outputs about 0.5 (std below 0.03 in every layer).",
                "標準偏差0.01では活性化がつぶれます。tanh と ReLU では5層目の広がりが1層目の1000分の1未満になり、"
                        + "シグモイドではどのニューロンもほぼ0.5を出力します（どの層でも標準偏差0.03未満）。",
                tanhSmall.ratio() < 1e-3 && reluSmall.ratio() < 1e-3 && sigSmallMax < 0.03,
                String.format(Locale.ROOT, "std layer 5 / layer 1: tanh %.2g, ReLU %.2g; sigmoid std by layer %s",
                        tanhSmall.ratio(), reluSmall.ratio(), stds(sigSmall)));

        Layers reluHe = nets.get("relu/he");
        Layers reluBig = nets.get("relu/std1");
        part.claim("he_keeps_relu_spread",
                "He initialization keeps the spread of ReLU activations across layers (std in layer 5 within 0.5–2 times layer 1's), "
                        + "while std 0.01 shrinks it and std 1 blows it up.",
                "He 初期化は ReLU の活性化の広がりを層をまたいで保ちます（5層目の標準偏差が1層目の0.5〜2倍）。"
                        + "一方、標準偏差0.01では縮み、標準偏差1では爆発的に大きくなります。",
                reluHe.ratio() >= 0.5 && reluHe.ratio() <= 2 && reluSmall.ratio() < 0.5 && reluBig.ratio() > 2,
                String.format(Locale.ROOT, "ReLU, std layer 5 / layer 1: He %.3f, std 0.01 %.2g, std 1 %.3g, Xavier %.3f",
                        reluHe.ratio(), reluSmall.ratio(), reluBig.ratio(), nets.get("relu/xavier").ratio()));

        Layers tanhX = nets.get("tanh/xavier");
        Layers sigX = nets.get("sigmoid/xavier");
        Layers tanh1 = nets.get("tanh/std1");
        part.claim("xavier_suits_tanh_sigmoid",
                "Xavier initialization suits tanh and sigmoid: no layer has more than 3% saturated, and layer 5 keeps at least a third of "
                        + "layer 1's spread; with std 1, most tanh activations are saturated in every layer.",
                "Xavier 初期化は tanh とシグモイドに向いています。どの層でも飽和は3%以下で、5層目も1層目の広がりの3分の1以上を保ちます。"
                        + "標準偏差1では、tanh の活性化の大半がどの層でも飽和しています。",
                tanhX.maxSaturated() <= 0.03 && sigX.maxSaturated() <= 0.03 && tanhX.ratio() >= 1.0 / 3 && sigX.ratio() >= 1.0 / 3
                        && minOf(sat(tanh1)) > 0.5,
                String.format(Locale.ROOT, "Xavier: saturated at most %.1f%% (tanh), %.1f%% (sigmoid); std layer 5 / layer 1: tanh %.3f, sigmoid %.3f; "
                                + "tanh with std 1: saturated %s",
                        100 * tanhX.maxSaturated(), 100 * sigX.maxSaturated(), tanhX.ratio(), sigX.ratio(), percents(sat(tanh1))));

        Layers reluX = nets.get("relu/xavier");
        part.claim("xavier_too_small_for_relu",
                "Xavier is too small for ReLU: ReLU zeroes about half of its inputs, so the spread shrinks layer after layer (layer 5 below half of layer 1); He's factor 2 makes up for it.",
                "Xavier 初期化は ReLU には小さすぎます。ReLU は入力の約半分を0にするため、広がりが層ごとに縮みます（5層目は1層目の半分未満）。He 初期化の係数2がこれを補います。",
                reluX.ratio() < 0.5 && reluHe.ratio() > reluX.ratio(),
                String.format(Locale.ROOT, "ReLU, std layer 5 / layer 1: Xavier %.3f, He %.3f; zero share with He %s",
                        reluX.ratio(), reluHe.ratio(), percents(reluHe.zeros)));
        return part;
    }

    /** Activations of each layer for one initialization and activation, with their statistics. */
    private static Layers forward(Tensor x, List<Dense> layers, Act a) {
        float[][] values = new float[LAYERS][];
        double[] mean = new double[LAYERS];
        double[] std = new double[LAYERS];
        double[] low = new double[LAYERS];
        double[] high = new double[LAYERS];
        double[] zeros = new double[LAYERS];
        boolean tanh = a.key.equals("tanh");
        boolean sigmoid = a.key.equals("sigmoid");
        try (var ignored = Autograd.noGrad()) {
            Tensor h = x;
            for (int l = 0; l < LAYERS; l++) {
                h = a.module.call(layers.get(l).call(h));
                float[] v = h.toArray();
                values[l] = v;
                double s = 0;
                double s2 = 0;
                long lo = 0;
                long hi = 0;
                long z = 0;
                for (float f : v) {
                    s += f;
                    if (tanh && f < -0.99f || sigmoid && f < 0.01f) {
                        lo++;
                    }
                    if ((tanh || sigmoid) && f > 0.99f) {
                        hi++;
                    }
                    if (f == 0f) {
                        z++;
                    }
                }
                mean[l] = s / v.length;
                for (float f : v) {
                    s2 += (f - mean[l]) * (f - mean[l]);
                }
                std[l] = Math.sqrt(s2 / v.length);
                low[l] = (double) lo / v.length;
                high[l] = (double) hi / v.length;
                zeros[l] = (double) z / v.length;
            }
        }
        return new Layers(values, mean, std, low, high, zeros);
    }

    private static double[] sat(Layers n) {
        double[] s = new double[LAYERS];
        for (int l = 0; l < LAYERS; l++) {
            s[l] = n.saturated(l);
        }
        return s;
    }

    private static double minOf(double[] v) {
        return java.util.Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static float[] positive(float[] v) {
        int n = 0;
        for (float f : v) {
            if (f > 0) {
                n++;
            }
        }
        float[] out = new float[n];
        int k = 0;
        for (float f : v) {
            if (f > 0) {
                out[k++] = f;
            }
        }
        return out;
    }

    private static String stds(Layers n) {
        StringBuilder sb = new StringBuilder();
        for (int l = 0; l < LAYERS; l++) {
            sb.append(l == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2g", n.std[l]));
        }
        return sb.toString();
    }

    private static String percents(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (int l = 0; l < v.length; l++) {
            sb.append(l == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f%%", 100 * v[l]));
        }
        return sb.toString();
    }

    /** Renders panels side by side, {@code cols} to a row, on white. */
    static BufferedImage grid(List<BufferedImage> panels, int cols) {
        int w = panels.get(0).getWidth();
        int h = panels.get(0).getHeight();
        int rows = (panels.size() + cols - 1) / cols;
        BufferedImage out = new BufferedImage(w * cols, h * rows, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        for (int i = 0; i < panels.size(); i++) {
            g.drawImage(panels.get(i), (i % cols) * w, (i / cols) * h, null);
        }
        g.dispose();
        return out;
    }
}
