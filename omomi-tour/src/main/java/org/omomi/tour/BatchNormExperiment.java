package org.omomi.tour;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.omomi.data.TensorDataset;
import org.omomi.explain.Figure;
import org.omomi.explain.plot.LineChart;
import org.omomi.init.Fans.FanMode;
import org.omomi.init.Gain;
import org.omomi.init.Init;
import org.omomi.nn.Activation;
import org.omomi.nn.BatchNorm;
import org.omomi.nn.Dense;
import org.omomi.nn.Module;
import org.omomi.nn.Sequential;
import org.omomi.optim.Sgd;
import org.omomi.tensor.Rng;
import org.omomi.train.Trainer;

/**
 * Batch normalization against the initial weight scale: a deep ReLU network (784 → five hidden
 * layers of 100 → 10) with and without {@link BatchNorm} after each hidden Dense, its weights drawn
 * N(0, (k·σ_He)²) with σ_He = √(2 / fan_in) for k from 0.01 to 10, and the same random draws at
 * every k (only scaled). Every model trains the same steps on the same batches with SGD and
 * momentum; the test accuracy at the end shows which scales train at all.
 */
public final class BatchNormExperiment implements Experiment {

    /** Multiples of the He standard deviation. */
    static final double[] SCALES = {0.01, 0.1, 0.3, 1, 3, 10};
    static final int DEPTH = 5;
    static final int WIDTH = 64;
    static final double LR = 0.05;
    static final double MOMENTUM = 0.9;
    /** Below this test accuracy a model counts as not trained (chance is 0.1). */
    static final double FAILED = 0.3;

    public BatchNormExperiment() {}

    @Override
    public String name() {
        return "batchnorm";
    }

    @Override
    public java.util.List<String> flags() {
        return java.util.List.of("train", "steps");
    }

    @Override
    public Part run(Setting s) {
        int trainSize = s.option("train", 10000, 2000);
        int steps = s.option("steps", 500, 150);
        int batch = 64;
        TensorDataset train = s.images().trainPrefix(trainSize);
        TensorDataset test = s.images().testPrefix(2000);

        int n = SCALES.length;
        double[] logScale = new double[n];
        double[] accPlain = new double[n];
        double[] accNorm = new double[n];
        double[] lossPlain = new double[n];
        double[] lossNorm = new double[n];
        for (int i = 0; i < n; i++) {
            logScale[i] = Math.log10(SCALES[i]);
            for (boolean bn : new boolean[] {false, true}) {
                Module model = network(bn, SCALES[i], s.seed());
                Sgd opt = new Sgd(model.parameters(), Sgd.Options.lr(LR).withMomentum(MOMENTUM));
                double[] losses = Fit.steps(model, opt, train, batch, steps, s.seed() + 1);
                double acc = Trainer.evaluate(model, Images.HEAD, test).get("accuracy");
                double loss = finalLoss(losses);
                if (bn) {
                    accNorm[i] = acc;
                    lossNorm[i] = loss;
                } else {
                    accPlain[i] = acc;
                    lossPlain[i] = loss;
                }
            }
        }

        double minNorm = min(accNorm);
        double rangeNorm = max(accNorm) - minNorm;
        double minPlain = min(accPlain);
        double rangePlain = max(accPlain) - minPlain;
        int failedPlain = 0;
        int failedNorm = 0;
        int failedBelow = 0;
        int failedAbove = 0;
        for (int i = 0; i < n; i++) {
            boolean failed = accPlain[i] < FAILED;
            failedPlain += failed ? 1 : 0;
            failedBelow += failed && SCALES[i] < 1 ? 1 : 0;
            failedAbove += failed && SCALES[i] > 1 ? 1 : 0;
            failedNorm += accNorm[i] < FAILED ? 1 : 0;
        }

        Part part = new Part(name(), Text.of("Batch Normalization makes the initial scale matter much less",
                "バッチ正規化（Batch Normalization）で初期化のスケールが効きにくくなる"));
        part.say(String.format(Locale.ROOT, "A deep ReLU network, 784 → %d hidden layers of %d → 10, is trained twice for each initial weight scale: "
                        + "plain, and with Batch Normalization after every hidden layer's linear combination. The weights start as N(0, (k·σ_He)²) "
                        + "with σ_He = √(2 / fan_in), the He initialization, multiplied by k from %s to %s; every k uses the same random draws, "
                        + "only scaled, and the biases start at zero.", DEPTH, WIDTH, fmt(SCALES[0]), fmt(SCALES[n - 1])),
                String.format(Locale.ROOT, "784 → 隠れ層 %d 層（各 %d ニューロン、ReLU）→ 10 の深いネットワークを、初期の重みのスケールごとに2回学習します。"
                        + "1回はそのまま、もう1回は各隠れ層の線形結合の直後にバッチ正規化（Batch Normalization）を入れます。"
                        + "重みの初期値は N(0, (k·σ_He)²)、σ_He = √(2 / fan_in) は He 初期化の標準偏差で、k を %s から %s まで変えます。"
                        + "どの k でも同じ乱数を使い、スケールだけを変えています。バイアスの初期値は 0 です。", DEPTH, WIDTH, fmt(SCALES[0]), fmt(SCALES[n - 1])));
        part.say(String.format(Locale.ROOT, "Every model takes the same %d steps of SGD with momentum (learning rate %s, momentum %s) on the same batches of %d "
                        + "of the first %,d training images, then is scored on %,d test images. Without normalization a small k shrinks the signal "
                        + "at every layer, so the gradient vanishes (vanishing gradients), and a large k blows it up (exploding gradients); "
                        + "with it, each layer's output is rescaled to mean 0 and variance 1 over the batch whatever the weights' scale.",
                        steps, fmt(LR), fmt(MOMENTUM), batch, train.size(), test.size()),
                String.format(Locale.ROOT, "どのモデルも同じミニバッチ（%d 枚、訓練データの先頭 %,d 枚から）で、モメンタム付き SGD（学習率 η = %s、モメンタム %s）を %d 反復だけ学習し、"
                        + "テストデータ %,d 枚で精度（正解率）を測ります。正規化がないと、k が小さければ層を通るたびに信号が縮んで勾配消失が起こり、"
                        + "k が大きければ勾配爆発が起こります。バッチ正規化があると、重みのスケールにかかわらず各層の出力がバッチ内で平均 0・分散 1 にそろえられます。",
                        batch, train.size(), fmt(LR), fmt(MOMENTUM), steps, test.size()));

        LineChart chart = new LineChart("Test accuracy after " + steps + " steps vs initial weight scale", "log10 k  (weights ~ N(0, (k * He std)^2))", "test accuracy")
                .series("with BatchNorm", logScale, accNorm)
                .series("plain", logScale, accPlain, true)
                .markers(true);
        part.picture(new Figure(name() + "-accuracy-vs-scale.png", "Test accuracy vs initial scale", "", chart.render(720, 420)),
                Text.of("Test accuracy against the initial weight scale", "初期の重みのスケールとテスト精度"),
                Text.of("The horizontal axis is log10 k: 0 is the He initialization, −1 a tenth of it, 1 ten times it. Solid: with Batch Normalization; "
                                + "dashed: the plain network. Chance is 0.1.",
                        "横軸は log10 k です。0 が He 初期化そのもの、−1 はその 1/10、1 は 10 倍です。実線がバッチ正規化あり、破線がなし。"
                                + "でたらめに答えたときの精度は 0.1 です。"));

        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(List.of(fmt(SCALES[i]), f3(accPlain[i]), f3(accNorm[i]), f3(lossPlain[i]), f3(lossNorm[i])));
        }
        part.table(List.of(Text.of("scale k", "スケール k"), Text.of("test accuracy, plain", "テスト精度（なし）"),
                        Text.of("test accuracy, BatchNorm", "テスト精度（バッチ正規化）"), Text.of("final train loss, plain", "最終訓練損失（なし）"),
                        Text.of("final train loss, BatchNorm", "最終訓練損失（バッチ正規化）")),
                rows);
        part.say("The final train loss is the mean of the last 20 steps' losses; NaN means the loss overflowed and training stopped.",
                "最終訓練損失は最後の 20 反復の損失の平均です。NaN は損失が発散して学習が止まったことを表します。");

        Map<String, Object> perScale = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("test_accuracy_plain", accPlain[i]);
            m.put("test_accuracy_batchnorm", accNorm[i]);
            m.put("final_loss_plain", lossPlain[i]);
            m.put("final_loss_batchnorm", lossNorm[i]);
            perScale.put(fmt(SCALES[i]), m);
        }
        part.number("scales", Fit.list(SCALES));
        part.number("steps", steps);
        part.number("train_size", train.size());
        part.number("test_size", test.size());
        part.number("per_scale", perScale);
        part.number("accuracy_plain", Fit.list(accPlain));
        part.number("accuracy_batchnorm", Fit.list(accNorm));
        part.number("min_accuracy_batchnorm", minNorm);
        part.number("range_accuracy_batchnorm", rangeNorm);
        part.number("min_accuracy_plain", minPlain);
        part.number("range_accuracy_plain", rangePlain);
        part.number("failed_plain", failedPlain);
        part.number("failed_batchnorm", failedNorm);
        part.number("failed_plain_small_scale", failedBelow);
        part.number("failed_plain_large_scale", failedAbove);

        part.say("With Batch Normalization the extremes still lag a little: a layer followed by it computes the same whatever its weights' scale, "
                        + "but its gradient shrinks as 1/k, so at k = 10 each step moves the weights a hundred times less relative to their size, and at "
                        + "k = 0.01 the first steps are huge until the weights have grown. Given more steps the gap closes "
                        + "further; without normalization no number of steps helps, because the loss stays at ln 10 ≈ 2.30 or overflows.",
                "バッチ正規化ありでも両端のスケールは少し遅れます。直後にバッチ正規化がある層は、重みのスケールによらず同じ出力を計算しますが、その勾配は 1/k に比例して小さくなります。"
                        + "そのため k = 10 では各反復で重みが自分の大きさに比べて 1/100 しか動かず、k = 0.01 では重みが大きくなるまで最初の更新が大きすぎます。"
                        + "反復を増やせば差はさらに縮みます。正規化なしでは、損失が ln 10 ≈ 2.30 のまま動かないか発散するので、反復を増やしても学習は進みません。");

        part.claim("batchnorm_robust",
                "With Batch Normalization every initial scale trains: the lowest test accuracy across scales is at least 0.5 (chance is 0.1), "
                        + "and the spread between the best and the worst scale is less than half the plain network's.",
                "バッチ正規化ありでは、どの初期スケールでも学習が進む：スケール間の最低テスト精度が 0.5 以上（でたらめなら 0.1）で、"
                        + "最高と最低の差はバッチ正規化なしの半分未満。",
                minNorm >= 0.5 && failedNorm == 0 && rangeNorm < 0.5 * rangePlain,
                String.format(Locale.ROOT, "with BatchNorm: lowest %.3f, spread %.3f; plain: spread %.3f", minNorm, rangeNorm, rangePlain));
        part.claim("plain_fails",
                "Without it the scale decides: the plain network does not train (test accuracy below 0.3) at three or more of the six scales, "
                        + "on both sides of the He initialization (vanishing and exploding gradients).",
                "バッチ正規化なしでは、スケールで結果が決まる：6 つのスケールのうち 3 つ以上で学習が進まず（テスト精度 0.3 未満）、"
                        + "He 初期化より小さい側（勾配消失）と大きい側（勾配爆発）の両方で失敗する。",
                failedPlain >= 3 && failedBelow >= 1 && failedAbove >= 1,
                String.format(Locale.ROOT, "plain: %d of %d scales below %.1f (%d with k < 1, %d with k > 1), lowest %.3f",
                        failedPlain, n, FAILED, failedBelow, failedAbove, minPlain));
        return part;
    }

    /** The network: [Dense → (BatchNorm) → ReLU] × DEPTH → Dense, weights N(0, (k·σ_He)²), biases 0. */
    static Sequential network(boolean batchNorm, double k, long seed) {
        Rng rng = new Rng(seed);
        var init = Init.kaimingNormal(Gain.relu() * k, FanMode.FAN_IN);
        List<Module> layers = new ArrayList<>();
        int in = 784;
        for (int i = 0; i < DEPTH; i++) {
            layers.add(new Dense(in, WIDTH, true, rng.split(), init, Init.zeros()));
            if (batchNorm) {
                layers.add(BatchNorm.of1d(WIDTH));
            }
            layers.add(Activation.relu());
            in = WIDTH;
        }
        layers.add(new Dense(in, 10, true, rng.split(), Init.heNormal(), Init.zeros()));
        return new Sequential(layers);
    }

    /** Mean of the last 20 steps' losses, or NaN if training stopped on a non-finite loss. */
    private static double finalLoss(double[] losses) {
        return Double.isFinite(losses[losses.length - 1]) ? Fit.tail(losses, 20) : Double.NaN;
    }

    private static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double x : v) {
            m = Math.min(m, x);
        }
        return m;
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.valueOf(v);
    }

    private static String f3(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "NaN";
    }
}
