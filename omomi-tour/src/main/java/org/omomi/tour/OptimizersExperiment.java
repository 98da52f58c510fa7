package org.omomi.tour;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.omomi.data.TensorDataset;
import org.omomi.explain.Figure;
import org.omomi.explain.plot.LineChart;
import org.omomi.init.Init;
import org.omomi.nn.Activation;
import org.omomi.nn.Dense;
import org.omomi.nn.Sequential;
import org.omomi.optim.Adam;
import org.omomi.optim.Optimizer;
import org.omomi.optim.Sgd;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.train.Trainer;

/**
 * Four optimizers train the same network on the same images: a 784-100-10 ReLU MLP with He
 * initialization, built from one seed so every run starts from identical weights, and trained on
 * identical mini-batches of 64 (one loader seed) for the same number of steps.
 *
 * <p>Settings: SGD η = 0.01; SGD with momentum η = 0.01, μ = 0.9; Adam η = 10⁻³; AdamW η = 10⁻³,
 * λ = 0.01. Options: "steps" (default 4,000, quick 500), "train" images (default 20,000, quick 5,000).
 */
public final class OptimizersExperiment implements Experiment {

    static final int BATCH = 64;

    public OptimizersExperiment() {}

    @Override
    public String name() {
        return "optimizers";
    }

    /** The 784-100-10 ReLU MLP with He-normal weights and zero biases; the same seed gives the same weights. */
    static Sequential mlp(long seed) {
        Rng rng = new Rng(seed);
        return new Sequential(
                new Dense(Images.SIDE * Images.SIDE, 100, true, rng, Init.heNormal(), Init.zeros()),
                Activation.relu(),
                new Dense(100, 10, true, rng, Init.heNormal(), Init.zeros()));
    }

    @Override
    public java.util.List<String> flags() {
        return java.util.List.of("steps", "train");
    }

    @Override
    public Part run(Setting setting) {
        int steps = setting.option("steps", 4000, 500);
        TensorDataset train = setting.images().trainPrefix(setting.option("train", 20_000, 5_000));
        TensorDataset test = setting.images().testPrefix(setting.quick() ? 2_000 : 10_000);
        long weightSeed = setting.seed() * 1_000_003L + 11;
        long batchSeed = setting.seed() * 1_000_003L + 12;
        int tailSteps = Math.max(10, steps / 10);

        Map<String, Function<List<Tensor>, Optimizer>> optimizers = new LinkedHashMap<>();
        optimizers.put("sgd", ps -> Sgd.of(ps, 0.01));
        optimizers.put("momentum", ps -> new Sgd(ps, Sgd.Options.lr(0.01).withMomentum(0.9)));
        optimizers.put("adam", ps -> new Adam(ps, Adam.Options.adam().withLr(1e-3)));
        optimizers.put("adamw", ps -> new Adam(ps, Adam.Options.adamW().withLr(1e-3).withWeightDecay(0.01)));
        Map<String, String> names = Map.of("sgd", "SGD (lr 0.01)", "momentum", "Momentum (lr 0.01, 0.9)",
                "adam", "Adam (lr 1e-3)", "adamw", "AdamW (lr 1e-3, wd 0.01)");

        List<Comparison.Run> runs = new ArrayList<>();
        for (var e : optimizers.entrySet()) {
            Sequential model = mlp(weightSeed);
            double[] losses = Fit.steps(model, e.getValue().apply(model.parameters()), train, BATCH, steps, batchSeed);
            runs.add(new Comparison.Run(e.getKey(), names.get(e.getKey()), losses, Fit.tail(losses, tailSteps), Trainer.evaluate(model, Images.HEAD, test).get("accuracy")));
        }
        Comparison.Run sgd = runs.get(0);

        Part part = new Part(name(), Text.of("Optimizers on real training", "実際の学習での最適化手法の比較"));
                part.say(String.format(Locale.ROOT, "The same network (784 inputs, 100 ReLU units, 10 outputs; He initialization) is trained four times on "
                                + "%,d %s training images, each time from the same initial weights and on the same %d mini-batches of %d, "
                                + "so only the optimizer differs.", train.size(), dataName(setting, false), steps, BATCH),
                String.format(Locale.ROOT, "同じネットワーク（入力784、ReLU の隠れ層100、出力10。He 初期化）を、%s の訓練データ %,d 枚で4回学習させます。"
                                + "初期の重みも、%d 個ずつのミニバッチ %d 回の順番もすべて同じなので、違うのは最適化手法だけです。", dataName(setting, true), train.size(), BATCH, steps));
        part.say("SGD with η = 0.01 takes small, plain gradient steps. Momentum adds up past gradients (μ = 0.9), so its effective step "
                        + "along a consistent direction is about ten times larger. Adam scales each weight's step by a running estimate of its "
                        + "gradient's size; AdamW adds decoupled weight decay.",
                "学習率 η = 0.01 の SGD は勾配そのままの小さな一歩を進みます。Momentum は過去の勾配を積み重ねる（μ = 0.9）ため、"
                        + "同じ向きが続くと実質およそ10倍の歩幅になります。Adam は重みごとに勾配の大きさの移動平均で歩幅を調整し、"
                        + "AdamW はそれに分離型の重み減衰（weight decay）を加えます。");

        LineChart chart = Comparison.chart("Training loss, same start and same batches", runs);
        part.picture(new Figure("optimizers-loss.png", "Training loss by optimizer", "Smoothed training loss of SGD, momentum, Adam and AdamW",
                        chart.render(900, 520)),
                Text.of("Training loss of four optimizers", "4つの最適化手法の訓練損失"),
                Text.of("Cross-entropy of each mini-batch, smoothed by an exponential moving average with weight 0.95 on the past "
                                + "(about the last 20 steps); linear axes. Adam's and AdamW's curves nearly coincide: at this learning rate the decay changes little.",
                        "各ミニバッチのクロスエントロピー損失を、過去に重み 0.95 を置く指数移動平均（およそ直近20反復分）で平滑化しています。軸は線形です。"
                                + "Adam と AdamW の曲線はほぼ重なっています（この学習率では重み減衰の影響は小さい）。"));

        Comparison.report(part, Text.of("optimizer", "最適化手法"), runs, tailSteps);
        part.number("steps", steps);
        part.number("batch", BATCH);
        part.number("train_images", train.size());
        part.number("test_images", test.size());

        double othersWorst = runs.stream().skip(1).mapToDouble(Comparison.Run::tail).max().orElse(Double.NaN);
        double othersWorstAcc = runs.stream().skip(1).mapToDouble(Comparison.Run::accuracy).min().orElse(Double.NaN);
        part.say(String.format(Locale.ROOT, "After %d steps SGD's loss is %.3f; the others reach %.3f or lower. Test accuracy: SGD %.1f%%, the others at least %.1f%%.",
                        steps, sgd.tail(), othersWorst, 100 * sgd.accuracy(), 100 * othersWorstAcc),
                String.format(Locale.ROOT, "%d 反復後の SGD の損失は %.3f、ほかの3つは %.3f 以下です。テストデータの精度は SGD が %.1f%%、ほかは %.1f%% 以上です。",
                        steps, sgd.tail(), othersWorst, 100 * sgd.accuracy(), 100 * othersWorstAcc));
        part.claim("sgd_slowest",
                "Plain SGD learns slowest: with the same start and the same batches, its final training loss is the highest of the four.",
                "素の SGD がいちばん遅く学習します。同じ初期値・同じミニバッチで、最後の訓練損失が4つの中で最も高くなります。",
                sgd.tail() > othersWorst,
                String.format(Locale.ROOT, "loss over the last %d steps: SGD %.4f, momentum %.4f, Adam %.4f, AdamW %.4f",
                        tailSteps, sgd.tail(), runs.get(1).tail(), runs.get(2).tail(), runs.get(3).tail()));
        return part;
    }

    /** The images' name for a sentence: "Fashion-MNIST" or "synthetic" (合成画像). */
    static String dataName(Setting setting, boolean ja) {
        return setting.images().source().equals("fashion-mnist") ? "Fashion-MNIST" : ja ? "合成画像" : "synthetic";
    }
}
