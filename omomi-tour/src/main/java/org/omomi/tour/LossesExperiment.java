package org.omomi.tour;

import java.util.List;
import java.util.Locale;
import org.omomi.explain.Figure;
import org.omomi.explain.plot.LineChart;
import org.omomi.loss.BceLoss;
import org.omomi.loss.BceWithLogitsLoss;
import org.omomi.loss.CrossEntropyLoss;
import org.omomi.loss.MseLoss;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Tensor;

/** Part 3: the three losses of the article on small examples, by omomi and by their formulas. */
public final class LossesExperiment implements Experiment {

    @Override
    public String name() {
        return "losses";
    }

    @Override
    public Part run(Setting s) {
        Part p = new Part(name(), Text.of("Losses: MSE, binary and categorical cross-entropy", "損失関数：MSE、Binary Cross-Entropy、Categorical Cross-Entropy"));
        // Regression: predicted vs actual prices.
        float[] pred = {2.5f, 0.0f, 2.1f, 7.8f};
        float[] target = {3.0f, -0.5f, 2.0f, 7.5f};
        double mse = new MseLoss().compute(Tensor.vector(pred), Tensor.vector(target)).item();
        double mseHand = 0;
        for (int i = 0; i < 4; i++) {
            mseHand += (pred[i] - target[i]) * (pred[i] - target[i]) / 4.0;
        }
        // Binary: the probability given to the true class 1.
        float[] probs = {0.9f, 0.6f, 0.1f};
        double[] bce = new double[3];
        boolean bceOk = true;
        for (int i = 0; i < 3; i++) {
            bce[i] = new BceLoss().compute(Tensor.vector(probs[i]), Tensor.vector(1f)).item();
            bceOk &= Math.abs(bce[i] + Math.log(probs[i])) < 1e-5;
        }
        // Multi-class: logits for three classes, true class 0.
        float[] logits = {2.0f, 1.0f, 0.1f};
        double ce = new CrossEntropyLoss().compute(Tensor.of(logits, 1, 3), Tensor.of(new float[] {0}, 1)).item();
        double denominator = Math.exp(2.0) + Math.exp(1.0) + Math.exp(0.1);
        double ceHand = -Math.log(Math.exp(2.0) / denominator);
        // ∂BCE/∂z = σ(z) − y for the logit z.
        Tensor z = Tensor.vector(0.8f).requiresGrad(true);
        Tensor[] g = Autograd.grad(new BceWithLogitsLoss().compute(z, Tensor.vector(1f)), z);
        double grad = g[0].item();
        double gradHand = 1 / (1 + Math.exp(-0.8)) - 1;

        p.say("A loss function measures how far predictions are from the truth; training lowers it. Mean squared error suits regression, "
                        + "binary cross-entropy suits yes/no predictions such as a click, and categorical cross-entropy suits one class out of many.",
                "損失関数は予測と正解のずれを測る関数で、学習はこれを小さくします。回帰には平均二乗誤差（MSE）、クリックするかどうかのような二値分類には "
                        + "Binary Cross-Entropy、多クラス分類には Categorical Cross-Entropy を使います。");
        p.textTable(List.of(Text.of("loss", "損失関数"), Text.of("example", "例"), Text.of("omomi", "omomi"), Text.of("formula", "式で計算")), List.of(
                row(Text.of("MSE", "平均二乗誤差（MSE）"), Text.of("predictions (2.5, 0, 2.1, 7.8), targets (3, −0.5, 2, 7.5)", "予測 (2.5, 0, 2.1, 7.8)、正解 (3, −0.5, 2, 7.5)"), mse, mseHand),
                row(Text.of("binary cross-entropy", "Binary Cross-Entropy"), Text.of("p = 0.9 for the true class", "正解クラスの確率 p = 0.9"), bce[0], -Math.log(0.9)),
                row(Text.of("binary cross-entropy", "Binary Cross-Entropy"), Text.of("p = 0.6", "p = 0.6"), bce[1], -Math.log(0.6)),
                row(Text.of("binary cross-entropy", "Binary Cross-Entropy"), Text.of("p = 0.1 (confident and wrong)", "p = 0.1（自信をもって間違えた）"), bce[2], -Math.log(0.1)),
                row(Text.of("categorical cross-entropy", "Categorical Cross-Entropy"), Text.of("logits (2, 1, 0.1), true class 0", "ロジット (2, 1, 0.1)、正解はクラス 0"), ce, ceHand),
                row(Text.of("∂BCE/∂z", "∂BCE/∂z"), Text.of("logit z = 0.8, y = 1", "ロジット z = 0.8、y = 1"), grad, gradHand)));
        double[] ps = new double[99];
        double[] ceCurve = new double[99];
        double[] mseCurve = new double[99];
        for (int i = 0; i < ps.length; i++) {
            ps[i] = (i + 1) / 100.0;
            ceCurve[i] = -Math.log(ps[i]);
            mseCurve[i] = (1 - ps[i]) * (1 - ps[i]);
        }
        LineChart chart = new LineChart("Loss for one example of class 1", "predicted probability of the true class", "loss");
        chart.series("cross-entropy −log p", ps, ceCurve);
        chart.series("squared error (1 − p)²", ps, mseCurve);
        p.picture(new Figure("losses.png", "Losses", "", chart.render(760, 420)),
                Text.of("Cross-entropy punishes confident mistakes", "Cross-Entropy は自信のある間違いを強く罰する"),
                Text.of("As the probability given to the true class falls to 0, cross-entropy grows without bound while squared error stays below 1; this is why classifiers train with cross-entropy.",
                        "正解クラスに与えた確率が 0 に近づくと、Cross-Entropy は際限なく大きくなりますが、二乗誤差は 1 を超えません。分類の学習に Cross-Entropy を使う理由です。"));
        p.say("With a sigmoid output, the gradient of binary cross-entropy with respect to the logit is simply σ(z) − y: the prediction's error itself.",
                "シグモイド出力の場合、Binary Cross-Entropy のロジット z についての偏微分は σ(z) − y、つまり予測の誤差そのものです。");
        p.number("mse", mse);
        p.number("bce", List.of(bce[0], bce[1], bce[2]));
        p.number("categorical_ce", ce);
        p.number("bce_logit_grad", grad);
        boolean all = Math.abs(mse - mseHand) < 1e-5 && bceOk && Math.abs(ce - ceHand) < 1e-5 && Math.abs(grad - gradHand) < 1e-5;
        p.claim("match_formulas", "omomi's losses and gradient equal their formulas (within 1e-5).", "omomi の損失と勾配は式どおりの値です（誤差 1e-5 以内）。",
                all, String.format(Locale.ROOT, "MSE %.6f vs %.6f; CE %.6f vs %.6f; ∂/∂z %.6f vs %.6f", mse, mseHand, ce, ceHand, grad, gradHand));
        p.claim("confident_mistake", "A confident mistake (p = 0.1) costs over 20 times a confident right answer (p = 0.9) under cross-entropy.",
                "Cross-Entropy では、自信のある間違い（p = 0.1）の損失は、自信のある正解（p = 0.9）の 20 倍を超えます。",
                bce[2] > 20 * bce[0], String.format(Locale.ROOT, "%.4f vs %.4f", bce[2], bce[0]));
        return p;
    }

    private static List<Text> row(Text loss, Text example, double omomi, double formula) {
        return List.of(loss, example, Text.of(f(omomi), f(omomi)), Text.of(f(formula), f(formula)));
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.5f", v);
    }
}
