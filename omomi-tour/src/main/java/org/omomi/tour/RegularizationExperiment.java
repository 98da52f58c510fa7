package org.omomi.tour;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.omomi.data.TensorDataset;
import org.omomi.explain.Figure;
import org.omomi.explain.plot.BarChart;
import org.omomi.explain.plot.RidgePlot;
import org.omomi.nn.Activation;
import org.omomi.nn.Dense;
import org.omomi.nn.Module;
import org.omomi.nn.Penalty;
import org.omomi.nn.Sequential;
import org.omomi.optim.Adam;
import org.omomi.optim.Optimizer;
import org.omomi.optim.ParamGroup;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.train.TensorStats;
import org.omomi.train.Trainer;

/**
 * Overfitting and four ways to train against it: a 784 → 256 → 10 ReLU network on a few hundred
 * training images, from the same initial weights and on the same batches, with Adam and (1) no
 * regularization, (2) an L2 penalty λ·Σw², (3) decoupled weight decay (AdamW), (4) an L1 penalty
 * λ·Σ|w|. Penalties and decay apply to the weight matrices only, not the biases.
 */
public final class RegularizationExperiment implements Experiment {

    static final int HIDDEN = 128;
    static final double LR = 3e-3;
    static final float L2 = 1e-2f;
    static final double WEIGHT_DECAY = 3;
    static final float L1 = 5e-4f;

    /** The four ways to train, in the order of the report. */
    enum Variant {
        NONE("none", "正則化なし"), L2_PENALTY("L2 penalty", "L2 正則化"), WEIGHT_DECAY("weight decay (AdamW)", "重み減衰（AdamW）"), L1_PENALTY("L1 penalty", "L1 正則化");

        final String en;
        final String ja;

        Variant(String en, String ja) {
            this.en = en;
            this.ja = ja;
        }

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What one variant ended with. */
    record Outcome(double trainAcc, double testAcc, double trainLoss, double testLoss, double weightNorm, float[] firstLayer) {

        double gap() {
            return trainAcc - testAcc;
        }

        double lossGap() {
            return testLoss - trainLoss;
        }
    }

    public RegularizationExperiment() {}

    @Override
    public String name() {
        return "regularization";
    }

    @Override
    public java.util.List<String> flags() {
        return java.util.List.of("train", "steps");
    }

    @Override
    public Part run(Setting s) {
        int trainSize = s.option("train", 500, 300);
        int steps = s.option("steps", 400, 150);
        int batch = 50;
        TensorDataset train = s.images().trainPrefix(trainSize);
        TensorDataset test = s.images().testPrefix(2000);

        Map<Variant, Outcome> out = new LinkedHashMap<>();
        for (Variant v : Variant.values()) {
            Sequential model = network(s.seed());
            Optimizer opt = optimizer(model, v);
            Fit.steps(model, opt, train, batch, steps, s.seed() + 1);
            Map<String, Double> onTrain = Trainer.evaluate(model, Images.HEAD, train);
            Map<String, Double> onTest = Trainer.evaluate(model, Images.HEAD, test);
            out.put(v, new Outcome(onTrain.get("accuracy"), onTest.get("accuracy"), onTrain.get("loss"), onTest.get("loss"), weightNorm(model),
                    ((Dense) model.get(0)).weight().toArray()));
        }
        Outcome none = out.get(Variant.NONE);
        Outcome l2 = out.get(Variant.L2_PENALTY);
        Outcome wd = out.get(Variant.WEIGHT_DECAY);
        Outcome l1 = out.get(Variant.L1_PENALTY);

        Part part = new Part(name(), Text.of("Regularization against overfitting: L2, weight decay and L1",
                "過学習（過剰適合）を抑える正則化：L2 正則化・重み減衰・L1 正則化"));
        part.say(String.format(Locale.ROOT, "A 784 → %d → 10 ReLU network learns from only %d training images, %d steps of %d (%d passes over the data), "
                        + "so it can memorize them: that is overfitting, high accuracy on the training data and lower on %,d test images it never saw. "
                        + "It is trained four times from the same initial weights on the same batches with Adam (learning rate %s).",
                        HIDDEN, train.size(), steps, batch, steps * batch / train.size(), test.size(), fmt(LR)),
                String.format(Locale.ROOT, "784 → %d → 10 の ReLU ネットワークを、わずか %d 枚の訓練データで学習します（ミニバッチ %d 枚で %d 反復、データを %d 周）。"
                        + "これだけ少ないと訓練データを丸暗記できてしまいます。これが過学習（過剰適合）で、訓練データでは精度が高いのに、見たことのないテストデータ %,d 枚では精度が下がります。"
                        + "同じ初期の重み、同じミニバッチで、Adam（学習率 η = %s）を使って4通りに学習します。",
                        HIDDEN, train.size(), batch, steps, steps * batch / train.size(), test.size(), fmt(LR)));
        part.say(String.format(Locale.ROOT, "The four: no regularization; an L2 penalty λ·Σw² added to the loss (λ = %s); decoupled weight decay, AdamW, which shrinks "
                        + "every weight by a factor (1 − η·λ) each step (λ = %s); and an L1 penalty λ·Σ|w| (λ = %s). All three act on the two weight matrices, "
                        + "not on the biases. With Adam an L2 penalty is not the same as weight decay: its gradient 2λw is divided by the running size of each "
                        + "weight's gradient like the rest, so weights with large gradients are hardly held back; AdamW shrinks them all alike.",
                        fmt(L2), fmt(WEIGHT_DECAY), fmt(L1)),
                String.format(Locale.ROOT, "4通りとは、正則化なし、損失に λ·Σw² を足す L2 正則化（λ = %s）、各反復で重みを (1 − η·λ) 倍に縮める重み減衰（weight decay）つまり AdamW（λ = %s）、"
                        + "損失に λ·Σ|w| を足す L1 正則化（λ = %s）です。どれも2つの重み行列だけにかけ、バイアスにはかけません。"
                        + "Adam では L2 正則化と重み減衰は同じになりません。L2 正則化の勾配 2λw は他の勾配と一緒に各重みの勾配の大きさで割られるので、勾配の大きい重みはほとんど抑えられません。"
                        + "AdamW はすべての重みを同じ割合で縮めます。",
                        fmt(L2), fmt(WEIGHT_DECAY), fmt(L1)));

        List<List<String>> rows = new ArrayList<>();
        for (Variant v : Variant.values()) {
            Outcome o = out.get(v);
            rows.add(List.of(v.en + " / " + v.ja, f3(o.trainAcc()), f3(o.testAcc()), f3(o.gap()), f3(o.trainLoss()), f3(o.testLoss()), f3(o.lossGap()), f2(o.weightNorm())));
        }
        part.table(List.of(Text.of("regularization", "正則化"), Text.of("train accuracy", "訓練精度"), Text.of("test accuracy", "テスト精度"),
                Text.of("accuracy gap (train − test)", "精度の差（訓練 − テスト）"), Text.of("train loss", "訓練損失"), Text.of("test loss", "テスト損失"),
                Text.of("loss gap (test − train)", "損失の差（テスト − 訓練）"), Text.of("weight L2 norm", "重みの L2 ノルム")), rows);
        part.say("Losses are the mean cross-entropy without the penalty, so the four are comparable; the gap between training and test is how much "
                        + "better the network does on the images it learned from than on new ones. The weight L2 norm is √(Σw²) over both weight matrices.",
                "損失はペナルティ項を含まない交差エントロピーの平均なので、4通りをそのまま比べられます。訓練とテストの差は、学習に使った画像で新しい画像よりどれだけよくできるかを表します。"
                        + "重みの L2 ノルムは、2つの重み行列全体の √(Σw²) です。");

        BarChart gaps = new BarChart("Test loss minus train loss (cross-entropy)", "loss gap");
        BarChart norms = new BarChart("Weight L2 norm after training", "sqrt(sum of w^2), both weight matrices");
        for (Variant v : Variant.values()) {
            gaps.bar(v.en, out.get(v).lossGap());
            norms.bar(v.en, out.get(v).weightNorm());
        }
        part.picture(new Figure(name() + "-loss-gap.png", "Generalization gap per regularization", "", gaps.render(640, 240)),
                Text.of("The gap between test and training loss", "テスト損失と訓練損失の差"),
                Text.of(String.format(Locale.ROOT, "Cross-entropy on %,d test images minus cross-entropy on the %d training images, after %d steps. "
                                + "The smaller the gap, the less the network has merely memorized its training data.", test.size(), train.size(), steps),
                        String.format(Locale.ROOT, "%d 反復後の、テストデータ %,d 枚での交差エントロピーから訓練データ %d 枚での交差エントロピーを引いた値。"
                                + "差が小さいほど、訓練データの丸暗記に頼っていません。", steps, test.size(), train.size())));
        part.picture(new Figure(name() + "-weight-norm.png", "Weight L2 norm per regularization", "", norms.render(640, 240)),
                Text.of("How large the weights grew", "重みがどこまで大きくなったか"),
                Text.of("The L2 norm of all weights (both weight matrices, biases left out) at the end of training, from the same initial weights.",
                        "学習後の全重み（2つの重み行列、バイアスは除く）の L2 ノルム。どれも同じ初期の重みから始めています。"));

        // A shared range that holds 99.9% of the unregularized weights, so a few outliers do not squeeze every row into a spike.
        double range = quantileAbs(none.firstLayer(), 0.999);
        RidgePlot ridge = new RidgePlot("First-layer weights after training", "weight value");
        for (Variant v : Variant.values()) {
            ridge.add(v.en, -range, range, histogram(out.get(v).firstLayer(), -range, range, 81));
        }
        part.picture(new Figure(name() + "-weight-histograms.png", "First-layer weight histograms", "", ridge.render(720, 400)),
                Text.of("How each regularization shapes the weights", "正則化ごとの重みの分布"),
                Text.of(String.format(Locale.ROOT, "Histograms of the %,d weights of the first layer (784 → %d) after training, one row per variant, over a shared range that holds "
                                + "99.9%% of the unregularized weights (the few beyond it are left out); each row is scaled to its own highest bin. L2 and weight decay pull the whole distribution in; L1 piles weights up at zero.",
                                784 * HIDDEN, HIDDEN),
                        String.format(Locale.ROOT, "学習後の第1層（784 → %d）の重み %,d 個のヒストグラム。1行が1通りの正則化です。横軸の範囲は共通で、正則化なしの重みの 99.9%% が入る幅にしています（外側のわずかな重みは描いていません）。"
                                + "各行の高さはその行の最大のビンに合わせています。"
                                + "L2 正則化と重み減衰は分布全体を内側に縮め、L1 正則化は重みを 0 に集めます。",
                                HIDDEN, 784 * HIDDEN)));
        part.say(String.format(Locale.ROOT, "Regularization trades training accuracy for a smaller gap: the network can no longer grow its weights as large as "
                                + "memorizing a few hundred images needs. In this run the accuracy gap went from %.3f without regularization to %.3f with the L2 penalty "
                                + "and %.3f with weight decay, and the test accuracy from %.3f to %.3f and %.3f. How much the test accuracy itself gains depends on the "
                                + "data and the strength λ; too strong a penalty makes the network underfit.",
                        none.gap(), l2.gap(), wd.gap(), none.testAcc(), l2.testAcc(), wd.testAcc()),
                String.format(Locale.ROOT, "正則化は訓練精度を少し犠牲にして差を縮めます。数百枚を丸暗記するのに必要なほど重みを大きくできなくなるからです。"
                                + "今回の実行では、精度の差は正則化なしの %.3f から、L2 正則化で %.3f、重み減衰で %.3f になり、テスト精度は %.3f から %.3f と %.3f になりました。"
                                + "テスト精度そのものがどれだけ上がるかはデータと強さ λ しだいで、強すぎると学習不足になります。",
                        none.gap(), l2.gap(), wd.gap(), none.testAcc(), l2.testAcc(), wd.testAcc()));

        Map<String, Object> per = new LinkedHashMap<>();
        for (Variant v : Variant.values()) {
            Outcome o = out.get(v);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("train_accuracy", o.trainAcc());
            m.put("test_accuracy", o.testAcc());
            m.put("accuracy_gap", o.gap());
            m.put("train_loss", o.trainLoss());
            m.put("test_loss", o.testLoss());
            m.put("loss_gap", o.lossGap());
            m.put("weight_norm", o.weightNorm());
            per.put(v.key(), m);
        }
        part.number("train_size", train.size());
        part.number("test_size", test.size());
        part.number("steps", steps);
        part.number("variants", per);

        part.claim("decay_shrinks_gap",
                "Weight decay (AdamW) and the L2 penalty each shrink the gap between test and training loss compared with no regularization, by at least 0.1.",
                "重み減衰（AdamW）と L2 正則化はどちらも、正則化なしに比べてテスト損失と訓練損失の差を 0.1 以上縮める。",
                wd.lossGap() <= none.lossGap() - 0.1 && l2.lossGap() <= none.lossGap() - 0.1,
                String.format(Locale.ROOT, "loss gap: none %.3f, L2 %.3f, weight decay %.3f, L1 %.3f", none.lossGap(), l2.lossGap(), wd.lossGap(), l1.lossGap()));
        part.claim("decay_shrinks_weights",
                "Weight decay and the L2 penalty leave the weights with a smaller L2 norm than no regularization, by at least a fifth.",
                "重み減衰と L2 正則化では、正則化なしより重みの L2 ノルムが 2 割以上小さい。",
                wd.weightNorm() <= 0.8 * none.weightNorm() && l2.weightNorm() <= 0.8 * none.weightNorm(),
                String.format(Locale.ROOT, "weight L2 norm: none %.2f, L2 %.2f, weight decay %.2f, L1 %.2f",
                        none.weightNorm(), l2.weightNorm(), wd.weightNorm(), l1.weightNorm()));
        return part;
    }

    /** 784 → HIDDEN → 10 with ReLU, PyTorch's default initialization from {@code seed}. */
    static Sequential network(long seed) {
        Rng rng = new Rng(seed);
        return new Sequential(new Dense(784, HIDDEN, rng.split()), Activation.relu(), new Dense(HIDDEN, 10, rng.split()));
    }

    private static Optimizer optimizer(Sequential model, Variant v) {
        List<Tensor> weights = new ArrayList<>();
        List<Tensor> biases = new ArrayList<>();
        model.namedParameters().forEach((name, p) -> (name.endsWith("weight") ? weights : biases).add(p));
        switch (v) {
            case L2_PENALTY -> model.penalize("0.weight", Penalty.l2(L2)).penalize("2.weight", Penalty.l2(L2));
            case L1_PENALTY -> model.penalize("0.weight", Penalty.l1(L1)).penalize("2.weight", Penalty.l1(L1));
            default -> { }
        }
        if (v == Variant.WEIGHT_DECAY) {
            return Adam.withGroups(List.of(ParamGroup.of(weights), ParamGroup.of(biases).withWeightDecay(0)),
                    Adam.Options.adamW().withLr(LR).withWeightDecay(WEIGHT_DECAY));
        }
        return new Adam(model.parameters(), Adam.Options.adam().withLr(LR));
    }

    /** √(Σw²) over every weight matrix: the L2 norms the run log records ({@link TensorStats}), combined. */
    static double weightNorm(Module model) {
        double sum = 0;
        for (var e : model.namedParameters().entrySet()) {
            if (e.getKey().endsWith("weight")) {
                double l2 = TensorStats.of(e.getValue().toArray()).l2();
                sum += l2 * l2;
            }
        }
        return Math.sqrt(sum);
    }

    /** Counts in {@code bins} equal bins over [lo, hi]; values outside are left out. */
    static long[] histogram(float[] values, double lo, double hi, int bins) {
        long[] counts = new long[bins];
        double width = (hi - lo) / bins;
        for (float v : values) {
            if (v >= lo && v <= hi) {
                counts[Math.min(bins - 1, (int) ((v - lo) / width))]++;
            }
        }
        return counts;
    }

    /** The q-quantile of |v|. */
    static double quantileAbs(float[] v, double q) {
        double[] a = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            a[i] = Math.abs(v[i]);
        }
        java.util.Arrays.sort(a);
        return a[Math.min(a.length - 1, (int) Math.floor(q * a.length))];
    }

    private static String fmt(double v) {
        if (v == Math.rint(v)) {
            return Long.toString((long) v);
        }
        return v < 0.01 ? String.format(Locale.ROOT, "%.0e", v).replace("e-0", "e-") : String.valueOf(v);
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
