package org.omomi.tour;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.omomi.data.TensorDataset;
import org.omomi.explain.Figure;
import org.omomi.explain.TrainingPlots;
import org.omomi.explain.plot.LineChart;
import org.omomi.init.Init;
import org.omomi.init.Initializer;
import org.omomi.nn.Activation;
import org.omomi.nn.Dense;
import org.omomi.nn.Module;
import org.omomi.nn.Sequential;
import org.omomi.optim.Sgd;
import org.omomi.tensor.Rng;
import org.omomi.train.Trainer;

/**
 * Whether a deep ReLU network learns depends on its initial weights: 784 → 5 hidden layers of 100
 * ReLU units → 10, initialized with N(0, 0.01²), Xavier normal or He normal (zero biases), trained
 * with SGD with momentum on the same mini-batches for the same number of steps.
 *
 * <p>Settings: SGD η = 0.01, μ = 0.9, batch 64. Options: "steps" (default 4,000, quick 800),
 * "train" images (default 20,000, quick 5,000).
 */
public final class InitTrainingExperiment implements Experiment {

    static final int HIDDEN = 100;
    static final int DEPTH = 5;
    static final int BATCH = 64;
    static final double LR = 0.01;
    static final double MOMENTUM = 0.9;

    public InitTrainingExperiment() {}

    @Override
    public String name() {
        return "init-training";
    }

    /** 784 → {@link #DEPTH} × {@link #HIDDEN} ReLU → 10, every weight from {@code init}, biases zero. */
    static Sequential deepMlp(Initializer init, long seed) {
        Rng rng = new Rng(seed);
        List<Module> layers = new ArrayList<>();
        int in = Images.SIDE * Images.SIDE;
        for (int l = 0; l < DEPTH; l++) {
            layers.add(new Dense(in, HIDDEN, true, rng, init, Init.zeros()));
            layers.add(Activation.relu());
            in = HIDDEN;
        }
        layers.add(new Dense(in, 10, true, rng, init, Init.zeros()));
        return new Sequential(layers);
    }

    @Override
    public java.util.List<String> flags() {
        return java.util.List.of("steps", "train");
    }

    @Override
    public Part run(Setting setting) {
        int steps = setting.option("steps", 4000, 800);
        TensorDataset train = setting.images().trainPrefix(setting.option("train", 20_000, 5_000));
        TensorDataset test = setting.images().testPrefix(setting.quick() ? 2_000 : 10_000);
        long weightSeed = setting.seed() * 1_000_003L + 21;
        long batchSeed = setting.seed() * 1_000_003L + 22;
        int tailSteps = Math.max(10, steps / 10);

        Map<String, Initializer> inits = new LinkedHashMap<>();
        inits.put("std0.01", Init.normal(0, 0.01f));
        inits.put("xavier", Init.xavierNormal());
        inits.put("he", Init.heNormal());
        Map<String, String> names = Map.of("std0.01", "std 0.01", "xavier", "Xavier", "he", "He");
        List<Comparison.Run> runs = new ArrayList<>();
        for (var e : inits.entrySet()) {
            Sequential model = deepMlp(e.getValue(), weightSeed);
            double[] losses = Fit.steps(model, new Sgd(model.parameters(), Sgd.Options.lr(LR).withMomentum(MOMENTUM)), train, BATCH, steps, batchSeed);
            runs.add(new Comparison.Run(e.getKey(), names.get(e.getKey()), losses, Fit.tail(losses, tailSteps), Trainer.evaluate(model, Images.HEAD, test).get("accuracy")));
        }
        Comparison.Run small = runs.get(0);
        Comparison.Run xavier = runs.get(1);
        Comparison.Run he = runs.get(2);
        double chance = Math.log(10);

        Part part = new Part(name(), Text.of("Initialization decides whether a deep network learns", "初期化が深いネットワークの学習を左右する"));
        part.say(String.format(Locale.ROOT, "A deeper network — 784 inputs, 5 hidden layers of 100 ReLU neurons, 10 outputs — is trained three times on "
                                + "%,d %s training images, with SGD with momentum (η = %.2f, μ = %.1f), the same %d mini-batches of %d, and "
                                + "only the initialization changed: std 0.01, Xavier, or He.", train.size(), OptimizersExperiment.dataName(setting, false), LR, MOMENTUM, steps, BATCH),
                String.format(Locale.ROOT, "より深いネットワーク（入力784、ReLU のニューロン100個の隠れ層5つ、出力10）を、%s の訓練データ %,d 枚で3回学習させます。"
                                + "最適化手法は Momentum 付き SGD（学習率 η = %.2f、μ = %.1f）、%d 個ずつのミニバッチ %d 回はすべて同じで、"
                                + "変えるのは初期化（標準偏差0.01、Xavier 初期化、He 初期化）だけです。", OptimizersExperiment.dataName(setting, true), train.size(), LR, MOMENTUM, BATCH, steps));
        part.say("With weights of std 0.01, each layer of 100 multiplies the signal by about 0.01 · √100 / √2 ≈ 0.07, so after six layers the outputs "
                        + "are practically zero and every class gets probability 1/10: the loss sits at ln 10 ≈ 2.30. The gradients shrink the "
                        + "same way on the way back (vanishing gradients), so the weights barely move. He initialization keeps the variance "
                        + "between layers steady for ReLU; Xavier's is half as large, so the signal fades by √2 per layer but still gets through.",
                "標準偏差0.01の重みでは、100個のニューロンの層を1つ通るごとに信号がおよそ 0.01 · √100 / √2 ≈ 0.07 倍になり、6層を通ると出力はほぼ0、"
                        + "どのクラスの確率も1/10になります。損失は ln 10 ≈ 2.30 のまま動きません。誤差逆伝播法で戻る勾配も同じように"
                        + "縮む（勾配消失）ため、重みはほとんど更新されません。He 初期化は ReLU に対して層間の分散を一定に保ちます。"
                        + "Xavier 初期化の分散はその半分なので、信号は1層ごとに √2 分の1に弱まりますが、それでも伝わります。");

        LineChart chart = Comparison.chart("Deep ReLU network: training loss by initialization", runs);
        part.picture(new Figure("init-training-loss.png", "Training loss by initialization", "Smoothed training loss of a deep ReLU MLP for three initializations",
                        chart.render(900, 520)),
                Text.of("Training loss of a deep ReLU network under three initializations", "3通りの初期化での深い ReLU ネットワークの訓練損失"),
                Text.of("Cross-entropy of each mini-batch, smoothed by an exponential moving average with weight 0.95 on the past "
                                + "(about the last 20 steps); linear axes. The flat line of std 0.01 lies at ln 10 ≈ 2.30, the loss of a uniform guess over 10 classes.",
                        "各ミニバッチのクロスエントロピー損失を、過去に重み 0.95 を置く指数移動平均（およそ直近20反復分）で平滑化しています。"
                                + "軸は線形です。標準偏差0.01の水平な線は、10クラスを等確率で当てずっぽうにしたときの損失 ln 10 ≈ 2.30 の高さにあります。"));

        Comparison.report(part, Text.of("initialization", "初期化"), runs, tailSteps);
        part.number("steps", steps);
        part.number("batch", BATCH);
        part.number("train_images", train.size());
        part.number("test_images", test.size());

        double smallLowest = java.util.Arrays.stream(TrainingPlots.ema(small.losses(), Comparison.SMOOTHING)).filter(Double::isFinite).min().orElse(Double.NaN);
        part.number("lowest_smoothed_loss_std0.01", smallLowest);
        part.claim("std001_does_not_learn",
                "With std 0.01 the deep ReLU network does not learn: its smoothed loss never leaves ln 10 ≈ 2.303 by more than 0.05, and its test accuracy stays near chance (below 20%).",
                "標準偏差0.01で初期化した深い ReLU ネットワークは学習しません。平滑化した損失は最後まで ln 10 ≈ 2.303 から0.05以上離れず、テストデータの精度も当てずっぽう並み（20%未満）です。",
                Math.abs(small.tail() - chance) < 0.05 && smallLowest > chance - 0.05 && small.accuracy() < 0.2,
                String.format(Locale.ROOT, "std 0.01: final loss %.4f, lowest smoothed loss %.4f (ln 10 = %.4f), test accuracy %.1f%%",
                        small.tail(), smallLowest, chance, 100 * small.accuracy()));
        part.claim("he_learns",
                "He initialization learns: its loss falls well below ln 10 (under half of it), and its test accuracy is far above chance.",
                "He 初期化では学習が進みます。損失は ln 10 の半分未満まで下がり、テストデータの精度も当てずっぽうを大きく上回ります。",
                he.tail() < chance / 2 && he.accuracy() > 0.5,
                String.format(Locale.ROOT, "He: loss %.4f, test accuracy %.1f%%; Xavier: loss %.4f, test accuracy %.1f%%",
                        he.tail(), 100 * he.accuracy(), xavier.tail(), 100 * xavier.accuracy()));
        return part;
    }
}
