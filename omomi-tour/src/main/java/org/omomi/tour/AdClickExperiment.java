package org.omomi.tour;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.omomi.data.Batch;
import org.omomi.data.Csv;
import org.omomi.data.DataLoader;
import org.omomi.data.Tabular;
import org.omomi.data.TensorDataset;
import org.omomi.explain.Figure;
import org.omomi.explain.plot.BarChart;
import org.omomi.explain.plot.LineChart;
import org.omomi.nn.Dense;
import org.omomi.optim.Sgd;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.train.Head;
import org.omomi.train.Callback;
import org.omomi.train.EpochRecord;
import org.omomi.train.TrainContext;
import org.omomi.train.Trainer;

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
    /** One logit, binary cross-entropy with logits: trained on, and judged by core's metrics. */
    static final Head HEAD = Head.binary();

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
        TensorDataset data = impressions(n, s.seed());
        Dense model = new Dense(3, 1, new Rng(s.seed()));
        model.loadStateDict(Map.of("weight", Tensor.of(NeuronExperiment.W.clone(), 1, 3), "bias", Tensor.zeros(1)));
        Sgd sgd = new Sgd(model.parameters(), Sgd.Options.lr(0.5));
        double[][] path = new double[3][epochs + 1];
        double[] losses = new double[epochs + 1];
        record(model, path, 0);
        losses[0] = Trainer.evaluate(model, HEAD, data).get("loss");
        try {
            new Trainer(model, HEAD, sgd, null, Trainer.Options.of(epochs, 100, s.seed()), null).addCallback(new Callback() {
                @Override
                public void onEpochEnd(TrainContext c, EpochRecord r) { // the weights' path and the loss on every impression
                    record(model, path, (int) r.epoch());
                    losses[(int) r.epoch()] = Trainer.evaluate(model, HEAD, data).get("loss");
                }
            }).fit(data, null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // no run folder: nothing is written
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

    /**
     * {@code n} generated impressions, standardized as {@code omomi train --data clicks.csv} does it
     * (core's {@link Tabular}, mean and population std of these rows): age uniform in 18–70 years,
     * interest match uniform in 0–1, ads shown today uniform in 0–10; a click with probability
     * σ({@link #TRUE_B} + Σ {@link #TRUE_W}ⱼ·zⱼ), zⱼ the feature standardized with its distribution's
     * own mean and std, so the generating model does not depend on the sample (the rows' own
     * standardization differs from it by O(1/√n)). Targets are 0/1 [n].
     */
    static TensorDataset impressions(int n, long seed) {
        Rng rng = new Rng(seed ^ 0xAD);
        double[][] raw = new double[n][3];
        for (int i = 0; i < n; i++) {
            raw[i][0] = 18 + 52 * rng.nextDouble();          // age in years
            raw[i][1] = rng.nextDouble();                     // interest-category match, 0–1
            raw[i][2] = Math.floor(11 * rng.nextDouble());    // ads shown today, 0–10
        }
        double[] mean = {44, 0.5, 5};
        double[] std = {52 / Math.sqrt(12), 1 / Math.sqrt(12), Math.sqrt(10)};
        List<String[]> rows = new ArrayList<>();
        int[] lines = new int[n];
        for (int i = 0; i < n; i++) {
            double z = TRUE_B;
            for (int j = 0; j < 3; j++) {
                z += TRUE_W[j] * (raw[i][j] - mean[j]) / std[j];
            }
            boolean click = rng.nextDouble() < 1 / (1 + Math.exp(-z));
            rows.add(new String[] {Double.toString(raw[i][0]), Double.toString(raw[i][1]), Double.toString(raw[i][2]), click ? "1" : "0"});
            lines[i] = i + 2;
        }
        Csv.Table table = new Csv.Table(Path.of("ad-click impressions (generated)"), List.of("age", "interest_match", "ad_frequency", "clicked"), rows, lines);
        // One-hot (here: numeric only) tables are TensorDatasets; ids would be InputsDatasets.
        return (TensorDataset) Tabular.fit(table, "clicked", Tabular.Task.CLASSIFICATION, true, Tabular.Encoding.ONE_HOT, Set.of()).dataset(table);
    }

    private static void record(Dense model, double[][] path, int e) {
        float[] w = model.weight().toArray();
        for (int j = 0; j < 3; j++) {
            path[j][e] = w[j];
        }
    }
}
