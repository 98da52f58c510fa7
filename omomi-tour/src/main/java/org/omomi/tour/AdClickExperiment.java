package org.omomi.tour;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.omomi.data.Batch;
import org.omomi.data.DataLoader;
import org.omomi.data.TensorDataset;
import org.omomi.explain.Figure;
import org.omomi.explain.plot.BarChart;
import org.omomi.explain.plot.LineChart;
import org.omomi.loss.BceWithLogitsLoss;
import org.omomi.nn.Dense;
import org.omomi.optim.Sgd;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * Part 2: the article's ad-click model. Clicks are generated from a known logistic model in which
 * interest match matters most; a logistic regression starts from the article's weights (0.1, 0.9,
 * 0.4) and learns the weights back by gradient descent.
 */
public final class AdClickExperiment implements Experiment {

    /** The generating model on standardized features: age, interest match, frequency; and its bias. */
    static final double[] TRUE_W = {-0.4, 2.0, 0.6};
    static final double TRUE_B = -0.3;
    static final String[] FEATURES = {"user age", "interest match", "ad frequency"};

    @Override
    public String name() {
        return "ad-click";
    }

    @Override
    public java.util.List<String> flags() {
        return java.util.List.of("rows", "epochs");
    }

    @Override
    public Part run(Setting s) {
        int n = s.option("rows", 5000, 2000);
        int epochs = s.option("epochs", 30, 15);
        Part p = new Part(name(), Text.of("Ad-click prediction: which feature weighs most", "広告クリック予測：どの特徴量の重みが大きいか"));
        Rng rng = new Rng(s.seed() ^ 0xAD);
        float[] x = new float[n * 3];
        float[] y = new float[n];
        double[][] raw = new double[3][n];
        for (int i = 0; i < n; i++) {
            raw[0][i] = 18 + 52 * rng.nextDouble();          // age in years
            raw[1][i] = rng.nextDouble();                     // interest-category match, 0–1
            raw[2][i] = Math.floor(11 * rng.nextDouble());    // ads shown today, 0–10
        }
        double[] mean = new double[3];
        double[] std = new double[3];
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < n; i++) {
                mean[j] += raw[j][i] / n;
            }
            for (int i = 0; i < n; i++) {
                std[j] += (raw[j][i] - mean[j]) * (raw[j][i] - mean[j]) / n;
            }
            std[j] = Math.sqrt(std[j]);
        }
        for (int i = 0; i < n; i++) {
            double z = TRUE_B;
            for (int j = 0; j < 3; j++) {
                x[i * 3 + j] = (float) ((raw[j][i] - mean[j]) / std[j]);
                z += TRUE_W[j] * x[i * 3 + j];
            }
            y[i] = rng.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
        }
        TensorDataset data = new TensorDataset(Tensor.wrap(x, n, 3), Tensor.wrap(y, n, 1));
        Dense model = new Dense(3, 1, new Rng(s.seed()));
        model.loadStateDict(Map.of("weight", Tensor.of(NeuronExperiment.W.clone(), 1, 3), "bias", Tensor.zeros(1)));
        Sgd sgd = new Sgd(model.parameters(), Sgd.Options.lr(0.5));
        BceWithLogitsLoss bce = new BceWithLogitsLoss();
        DataLoader loader = new DataLoader(data, 100, true, s.seed());
        double[][] path = new double[3][epochs + 1];
        double[] losses = new double[epochs + 1];
        record(model, path, 0);
        losses[0] = loss(model, bce, data);
        for (int e = 0; e < epochs; e++) {
            var it = loader.epoch(e, 0);
            while (it.hasNext()) {
                Batch b = it.next();
                sgd.zeroGrad();
                bce.compute(model.call(b.x()), b.y()).backward();
                sgd.step();
            }
            record(model, path, e + 1);
            losses[e + 1] = loss(model, bce, data);
        }
        float[] learned = model.weight().toArray();
        double[] ep = new double[epochs + 1];
        for (int e = 0; e <= epochs; e++) {
            ep[e] = e;
        }
        p.say(String.format(Locale.ROOT, "We generate %,d impressions from a known model: the log-odds of a click are %.1f·age %+.1f·interest %+.1f·frequency %+.1f "
                        + "(features standardized), so interest match matters most. A logistic regression — one neuron with a sigmoid and binary cross-entropy — starts "
                        + "from the article's weights 0.1, 0.9, 0.4 and learns by gradient descent (learning rate η = 0.5, batches of 100, %d epochs).",
                        n, TRUE_W[0], TRUE_W[1], TRUE_W[2], TRUE_B, epochs),
                String.format(Locale.ROOT, "既知のモデルから %,d 件の広告表示を生成します。クリックの対数オッズは %.1f·年齢 %+.1f·興味 %+.1f·頻度 %+.1f（特徴量は標準化）で、"
                        + "興味カテゴリ一致度が最も効きます。ロジスティック回帰（シグモイドと Binary Cross-Entropy をもつ1つのニューロン）を記事の重み 0.1, 0.9, 0.4 から始め、"
                        + "勾配降下法（学習率 η = 0.5、バッチ 100、%d エポック）で学習します。", n, TRUE_W[0], TRUE_W[1], TRUE_W[2], TRUE_B, epochs));
        BarChart bars = new BarChart("Weights before and after training", "weight").signed(true);
        for (int j = 0; j < 3; j++) {
            bars.bar(FEATURES[j] + " — start", NeuronExperiment.W[j]);
            bars.bar(FEATURES[j] + " — learned", learned[j]);
            bars.bar(FEATURES[j] + " — true", TRUE_W[j]);
        }
        p.picture(new Figure("ad-click-weights.png", "Weights", "", bars.render(820, 380)),
                Text.of("Weights before and after training", "学習前と学習後の重み"),
                Text.of("Start: the article's weights. Learned: after training on the generated clicks. True: the model that generated them.",
                        "start は記事の初期の重み、learned は生成したクリックデータで学習した後の重み、true はデータを生成したモデルの重みです。"));
        LineChart traj = new LineChart("Weights during training", "epoch", "weight").markers(epochs <= 30);
        for (int j = 0; j < 3; j++) {
            traj.series(FEATURES[j], ep, path[j], false, j);
            double[] t = new double[epochs + 1];
            java.util.Arrays.fill(t, TRUE_W[j]);
            traj.series(FEATURES[j] + " (true)", ep, t, true, j);
        }
        p.picture(new Figure("ad-click-trajectories.png", "Weight trajectories", "", traj.render(820, 440)),
                Text.of("Each weight, epoch by epoch", "エポックごとの各重み"),
                Text.of("Solid: the learned weights after each epoch (epoch 0 is the start). Dashed: the true weights.",
                        "実線は各エポック後の重み（エポック 0 が初期値）、破線は真の重みです。"));
        int largest = 0;
        for (int j = 1; j < 3; j++) {
            if (Math.abs(learned[j]) > Math.abs(learned[largest])) {
                largest = j;
            }
        }
        double maxErr = 0;
        for (int j = 0; j < 3; j++) {
            maxErr = Math.max(maxErr, Math.abs(learned[j] - TRUE_W[j]));
        }
        p.say(String.format(Locale.ROOT, "Loss fell from %.4f to %.4f. Learned weights: age %.3f, interest %.3f, frequency %.3f.", losses[0], losses[epochs], learned[0], learned[1], learned[2]),
                String.format(Locale.ROOT, "損失は %.4f から %.4f に下がりました。学習した重みは 年齢 %.3f、興味 %.3f、頻度 %.3f です。", losses[0], losses[epochs], learned[0], learned[1], learned[2]));
        p.number("rows", (long) n);
        p.number("true_weights", List.of(TRUE_W[0], TRUE_W[1], TRUE_W[2]));
        p.number("start_weights", List.of(0.1, 0.9, 0.4));
        p.number("learned_weights", List.of((double) learned[0], (double) learned[1], (double) learned[2]));
        p.number("learned_bias", (double) model.bias().item());
        p.number("loss_start", losses[0]);
        p.number("loss_end", losses[epochs]);
        List<Object> lossList = new ArrayList<>();
        for (double l : losses) {
            lossList.add(l);
        }
        p.number("loss_per_epoch", lossList);
        p.claim("interest_weighs_most", "Interest match (w₂) ends with the largest weight.", "興味カテゴリ一致度の重み w₂ が最も大きくなります。",
                largest == 1, String.format(Locale.ROOT, "|w| = %.3f, %.3f, %.3f", Math.abs(learned[0]), Math.abs(learned[1]), Math.abs(learned[2])));
        p.claim("recovers_true_weights", "Gradient descent recovers the generating weights (each within 0.25).", "勾配降下法は、データを生成した重みをそれぞれ 0.25 以内で取り戻します。",
                maxErr < 0.25, String.format(Locale.ROOT, "largest error %.3f", maxErr));
        return p;
    }

    private static void record(Dense model, double[][] path, int e) {
        float[] w = model.weight().toArray();
        for (int j = 0; j < 3; j++) {
            path[j][e] = w[j];
        }
    }

    private static double loss(Dense model, BceWithLogitsLoss bce, TensorDataset data) {
        try (var ignored = Autograd.noGrad()) {
            return bce.compute(model.call(data.x()), data.y()).item();
        }
    }
}
