package org.omomi.tour;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.omomi.data.TensorDataset;
import org.omomi.explain.Figure;
import org.omomi.explain.TrainingPlots;
import org.omomi.explain.plot.LineChart;
import org.omomi.loss.CrossEntropyLoss;
import org.omomi.nn.Activation;
import org.omomi.nn.Dense;
import org.omomi.nn.Module;
import org.omomi.nn.Sequential;
import org.omomi.optim.Sgd;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.train.TensorStats;
import org.omomi.train.Trainer;

/**
 * A deep plain network against its residual twin: 784 → 64, then {@value #BLOCKS} blocks of
 * ReLU + Dense 64 → 64, then ReLU and 64 → 10. The plain block computes h ↦ W·ReLU(h) + b (so the
 * plain network is an ordinary 22-layer ReLU network), the residual one h ↦ h + W·ReLU(h) + b, the
 * pre-activation order of He et al. (2016, "Identity Mappings in Deep Residual Networks"), which
 * keeps the shortcut a pure identity. Both start from the same weights (PyTorch's default
 * initialization) and train on the same batches. It records the gradient norm of every layer's weight on the first
 * batch, before any step, and the loss of every step.
 */
public final class ResidualExperiment implements Experiment {

    static final int WIDTH = 64;
    static final int BLOCKS = 20;
    static final double LR = 0.02;
    static final double MOMENTUM = 0.9;

    public ResidualExperiment() {}

    @Override
    public String name() {
        return "residual";
    }

    @Override
    public java.util.List<String> flags() {
        return java.util.List.of("train", "steps");
    }

    @Override
    public Part run(Setting s) {
        int trainSize = s.option("train", 10000, 2000);
        int steps = s.option("steps", 300, 100);
        int batch = 64;
        TensorDataset train = s.images().trainPrefix(trainSize);
        TensorDataset test = s.images().testPrefix(2000);
        TensorDataset first = new TensorDataset(train.x().slice(0, 0, batch).contiguous(), train.y().slice(0, 0, batch).contiguous());

        Module plain = network(false, s.seed());
        Module residual = network(true, s.seed());
        double[] gradPlain = gradientNorms(plain, first);
        double[] gradResidual = gradientNorms(residual, first);
        double[] lossPlain = Fit.steps(plain, new Sgd(plain.parameters(), Sgd.Options.lr(LR).withMomentum(MOMENTUM)), train, batch, steps, s.seed() + 1);
        double[] lossResidual = Fit.steps(residual, new Sgd(residual.parameters(), Sgd.Options.lr(LR).withMomentum(MOMENTUM)), train, batch, steps, s.seed() + 1);
        double finalPlain = Fit.tail(lossPlain, 20);
        double finalResidual = Fit.tail(lossResidual, 20);
        double accPlain = Trainer.evaluate(plain, Images.HEAD, test).get("accuracy");
        double accResidual = Trainer.evaluate(residual, Images.HEAD, test).get("accuracy");
        int layers = gradPlain.length;
        double firstRatio = gradResidual[0] / gradPlain[0];
        double lastRatio = gradPlain[layers - 1] / gradPlain[0];

        Part part = new Part(name(), Text.of("Residual connections let the gradient reach the first layer",
                "残差接続（Residual Connection）で勾配が最初の層まで届く"));
        part.say(String.format(Locale.ROOT, "Two networks of the same depth: 784 → %d, then %d blocks of ReLU and a %d → %d Dense layer, then ReLU and %d → 10, "
                        + "%d weight layers in all. In the plain one each block computes h ↦ W·ReLU(h) + b, so it is an ordinary deep ReLU network; "
                        + "in its residual twin each block adds its input back, h ↦ h + W·ReLU(h) + b. Both start from the same weights, PyTorch's default initialization U(±1/√fan_in), "
                        + "and take the same %d steps of SGD with momentum (learning rate %s, momentum %s) on the same batches of %d images.",
                        WIDTH, BLOCKS, WIDTH, WIDTH, WIDTH, layers, steps, fmt(LR), fmt(MOMENTUM), batch),
                String.format(Locale.ROOT, "同じ深さのネットワークを2つ比べます。784 → %d、続いて ReLU と %d → %d の全結合層からなるブロックを %d 個、最後に ReLU と %d → 10、重みをもつ層は全部で %d 層です。"
                        + "普通のネットワークでは各ブロックが h ↦ W·ReLU(h) + b を計算するので、ただの深い ReLU ネットワークです。"
                        + "残差接続（Residual Connection）をもつ双子では、各ブロックが入力をそのまま足して h ↦ h + W·ReLU(h) + b を計算します。"
                        + "どちらも同じ重み（PyTorch の既定の初期化 U(±1/√fan_in)）から始め、同じミニバッチ（%d 枚）で、モメンタム付き SGD（学習率 η = %s、モメンタム %s）を %d 反復学習します。",
                        WIDTH, WIDTH, WIDTH, BLOCKS, WIDTH, layers, batch, fmt(LR), fmt(MOMENTUM), steps));
        part.say("Backpropagation multiplies the gradient by every layer's Jacobian on its way down. With this initialization each plain layer shrinks "
                        + "the signal, so after twenty of them almost nothing is left for the first layers: vanishing gradients. The shortcut adds the identity "
                        + "to each block's Jacobian, ∂(h + F(h))/∂h = I + ∂F/∂h, so the gradient has a path that no layer can shrink.",
                "誤差逆伝播法（バックプロパゲーション）では、勾配は下の層へ戻るたびに各層のヤコビ行列を掛けられます。この初期化では普通の層は一層ごとに信号を縮めるので、"
                        + "20 層を通ると最初のほうの層にはほとんど何も残りません。これが勾配消失です。残差接続は各ブロックのヤコビ行列に単位行列を足すので"
                        + "（∂(h + F(h))/∂h = I + ∂F/∂h）、どの層にも縮められない勾配の通り道ができます。");

        double[] layerIndex = Fit.count(layers);
        LineChart grads = new LineChart("Gradient norm per layer on the first batch (before training)", "layer (1 = next to the input)", "||dL/dW|| (log scale)")
                .logY(true)
                .series("residual", layerIndex, gradResidual)
                .series("plain", layerIndex, gradPlain, true)
                .markers(true);
        part.picture(new Figure(name() + "-gradient-norms.png", "Gradient norm per layer", "", grads.render(720, 420)),
                Text.of("The gradient's size at every layer, before the first step", "最初の更新の前の、各層の勾配の大きさ"),
                Text.of(String.format(Locale.ROOT, "L2 norm of the loss gradient with respect to each layer's weight matrix, on the first %d training images, "
                                + "log scale. Layer 1 is the input layer, layer %d the output layer. Solid: residual; dashed: plain.", batch, layers),
                        String.format(Locale.ROOT, "訓練データの先頭 %d 枚での、各層の重み行列についての損失の勾配の L2 ノルム（対数目盛）。層 1 が入力側、層 %d が出力層です。"
                                + "実線が残差接続あり、破線が普通のネットワーク。", batch, layers)));

        double[] x = Fit.count(steps);
        LineChart curves = new LineChart("Training loss per step (smoothed)", "step", "cross-entropy loss")
                .series("residual", x, TrainingPlots.ema(lossResidual, 0.9))
                .series("plain", x, TrainingPlots.ema(lossPlain, 0.9), true);
        part.picture(new Figure(name() + "-loss-curves.png", "Training loss, plain vs residual", "", curves.render(720, 420)),
                Text.of("Training loss of the two twins", "2つのネットワークの訓練損失"),
                Text.of("Cross-entropy of each step's batch, smoothed by an exponential moving average (weight 0.9 on the past). Solid: residual; dashed: plain. "
                                + "A loss of ln 10 ≈ 2.30 is what guessing gives.",
                        "各反復のミニバッチの交差エントロピー損失を指数移動平均（過去の重み 0.9）でならしたもの。実線が残差接続あり、破線が普通のネットワーク。"
                                + "ln 10 ≈ 2.30 はでたらめに当てたときの損失です。"));

        part.table(List.of(Text.of("network", "ネットワーク"), Text.of("first-layer gradient norm", "第1層の勾配ノルム"),
                        Text.of("output-layer gradient norm", "出力層の勾配ノルム"), Text.of("final train loss", "最終訓練損失"), Text.of("test accuracy", "テスト精度")),
                List.of(List.of("plain / 普通", sci(gradPlain[0]), sci(gradPlain[layers - 1]), f3(finalPlain), f3(accPlain)),
                        List.of("residual / 残差接続", sci(gradResidual[0]), sci(gradResidual[layers - 1]), f3(finalResidual), f3(accResidual))));
        part.say(String.format(Locale.ROOT, "The final train loss is the mean of the last 20 steps' losses; test accuracy is measured on %,d test images.", test.size()),
                String.format(Locale.ROOT, "最終訓練損失は最後の 20 反復の損失の平均、テスト精度はテストデータ %,d 枚での精度（正解率）です。", test.size()));

        part.number("layers", layers);
        part.number("steps", steps);
        part.number("gradient_norms_plain", Fit.list(gradPlain));
        part.number("gradient_norms_residual", Fit.list(gradResidual));
        part.number("first_layer_gradient_plain", gradPlain[0]);
        part.number("first_layer_gradient_residual", gradResidual[0]);
        part.number("first_layer_gradient_ratio", firstRatio);
        part.number("plain_output_over_first_gradient", lastRatio);
        part.number("final_loss_plain", finalPlain);
        part.number("final_loss_residual", finalResidual);
        part.number("test_accuracy_plain", accPlain);
        part.number("test_accuracy_residual", accResidual);

        part.claim("residual_trains_faster",
                "The residual twin trains faster: after the same steps its train loss is lower than the plain network's by at least 0.3, and its test accuracy is higher.",
                "残差接続をもつほうが速く学習する：同じ反復数のあと、訓練損失が普通のネットワークより 0.3 以上低く、テスト精度も高い。",
                finalResidual <= finalPlain - 0.3 && accResidual > accPlain,
                String.format(Locale.ROOT, "final train loss: residual %.3f, plain %.3f; test accuracy: residual %.3f, plain %.3f",
                        finalResidual, finalPlain, accResidual, accPlain));
        part.claim("gradient_reaches_first_layer",
                "Before training, the first layer's gradient is at least 10 times larger in the residual twin than in the plain network, "
                        + "where it is at least 10 times smaller than at the output layer (vanishing gradients).",
                "学習前、第1層の勾配は残差接続ありのほうが普通のネットワークより 10 倍以上大きい。普通のネットワークでは第1層の勾配が出力層の 1/10 以下（勾配消失）。",
                firstRatio >= 10 && gradPlain[0] * 10 <= gradPlain[layers - 1],
                String.format(Locale.ROOT, "first-layer gradient norm: residual %.3g, plain %.3g (ratio %.3g); plain output layer %.3g",
                        gradResidual[0], gradPlain[0], firstRatio, gradPlain[layers - 1]));
        return part;
    }

    /** 784 → WIDTH, ReLU, BLOCKS blocks, WIDTH → 10, PyTorch's default initialization from {@code seed}. */
    static Sequential network(boolean residual, long seed) {
        Rng rng = new Rng(seed);
        List<Module> layers = new ArrayList<>();
        layers.add(new Dense(784, WIDTH, rng.split()));
        for (int i = 0; i < BLOCKS; i++) {
            layers.add(new DenseBlock(WIDTH, residual, rng.split()));
        }
        layers.add(Activation.relu());
        layers.add(new Dense(WIDTH, 10, rng.split()));
        return new Sequential(layers);
    }

    /** The L2 norm of the loss gradient with respect to every weight matrix, input side first; leaves no gradients behind. */
    static double[] gradientNorms(Module model, TensorDataset batch) {
        model.train();
        Map<String, Tensor> params = model.namedParameters();
        params.values().forEach(Tensor::clearGrad);
        new CrossEntropyLoss().compute(model.call(batch.x()), batch.y()).backward();
        List<Double> norms = new ArrayList<>();
        params.forEach((name, p) -> {
            if (name.endsWith("weight")) {
                norms.add(TensorStats.of(p.grad().toArray()).l2());
            }
        });
        params.values().forEach(Tensor::clearGrad);
        return norms.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * One block of a dense network: h ↦ W·ReLU(h) + b, or with the shortcut h ↦ h + W·ReLU(h) + b.
     * Its Dense child is named {@code dense}, so the weight's key is {@code N.dense.weight}.
     */
    static final class DenseBlock extends Module {

        private final int width;
        private final boolean residual;
        private final Dense dense;

        DenseBlock(int width, boolean residual, Rng rng) {
            this.width = width;
            this.residual = residual;
            this.dense = child("dense", new Dense(width, width, rng));
        }

        @Override
        public Tensor forward(Tensor h) {
            Tensor f = dense.call(h.relu());
            return residual ? h.add(f) : f;
        }

        @Override
        protected String describe() {
            return (residual ? "ResidualDenseBlock(" : "PlainDenseBlock(") + width + ")";
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.valueOf(v);
    }

    private static String f3(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "NaN";
    }

    private static String sci(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
