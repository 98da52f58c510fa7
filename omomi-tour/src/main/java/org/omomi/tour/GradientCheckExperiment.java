package org.omomi.tour;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.omomi.nn.Activation;
import org.omomi.nn.Dense;
import org.omomi.nn.Sequential;
import org.omomi.loss.MseLoss;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * Part 4: backpropagation. Every first-layer weight's gradient in a small network, by autograd
 * beside a central finite difference (L(w + h) − L(w − h)) / 2h.
 */
public final class GradientCheckExperiment implements Experiment {

    @Override
    public String name() {
        return "gradient-check";
    }

    @Override
    public Part run(Setting s) {
        Part p = new Part(name(), Text.of("Backpropagation: autograd beside a finite difference", "誤差逆伝播法：自動微分と数値微分を比べる"));
        Rng rng = new Rng(s.seed());
        Dense first = new Dense(3, 4, rng);
        Sequential net = new Sequential(first, Activation.tanh(), new Dense(4, 1, rng), Activation.sigmoid());
        Tensor x = Tensor.of(new float[][] {{0.3f, 0.8f, 0.5f}, {0.9f, 0.1f, 0.2f}, {0.5f, 0.5f, 0.9f}});
        Tensor y = Tensor.of(new float[] {1, 0, 1}, 3, 1);
        MseLoss mse = new MseLoss();
        Tensor loss = mse.compute(net.call(x), y);
        Tensor grad = Autograd.grad(loss, first.weight())[0];
        float[] g = grad.toArray();
        float[] w = first.weight().toArray();
        float h = 1e-2f;
        List<List<String>> rows = new ArrayList<>();
        double worst = 0;
        List<Object> table = new ArrayList<>();
        for (int i = 0; i < w.length; i++) {
            double up = lossWith(net, first, w, i, h, x, y, mse);
            double down = lossWith(net, first, w, i, -h, x, y, mse);
            double fd = (up - down) / (2 * h);
            double rel = Math.abs(fd - g[i]) / Math.max(1e-6, Math.abs(fd) + Math.abs(g[i]));
            worst = Math.max(worst, Math.abs(fd - g[i]) / (1e-3 + Math.abs(g[i])));
            rows.add(List.of("w[" + i / 3 + "," + i % 3 + "]", String.format(Locale.ROOT, "%.6f", g[i]), String.format(Locale.ROOT, "%.6f", fd),
                    String.format(Locale.ROOT, "%.1e", rel)));
            table.add(List.of((double) g[i], fd));
        }
        p.say("Backpropagation applies the chain rule from the loss back to every weight, giving each partial derivative ∂loss/∂w in one backward pass. "
                        + "A finite difference estimates the same number by nudging one weight up and down by h = 0.01. For the 12 first-layer weights of a 3-4-1 network (tanh, sigmoid, MSE on three examples):",
                "誤差逆伝播法は、損失から各重みへと連鎖律をさかのぼり、1回の逆伝播ですべての偏微分 ∂損失/∂w を求めます。数値微分は、1つの重みを h = 0.01 だけ上下に動かして同じ値を推定します。"
                        + "3-4-1 のネットワーク（tanh、シグモイド、3つの例に対する MSE）の第1層の 12 個の重みについて比べます。");
        p.table(List.of(Text.of("weight", "重み"), Text.of("autograd", "自動微分"), Text.of("finite difference", "数値微分"), Text.of("relative difference", "相対差")), rows);
        p.number("gradients", table);
        p.number("max_scaled_difference", worst);
        p.claim("autograd_matches", "Autograd agrees with the finite differences for every weight: |difference| ≤ 1e-2 · (|gradient| + 1e-3), the accuracy of a float32 difference quotient.",
                "すべての重みで、自動微分は数値微分と一致します：|差| ≤ 1e-2 ·（|勾配| + 1e-3）。float32 の差分商の精度です。",
                worst < 1e-2, String.format(Locale.ROOT, "largest |difference| / (|gradient| + 1e-3) = %.1e", worst));
        return p;
    }

    private static double lossWith(Sequential net, Dense first, float[] w, int i, float h, Tensor x, Tensor y, MseLoss mse) {
        float[] changed = w.clone();
        changed[i] += h;
        try (var ignored = Autograd.noGrad()) {
            first.loadStateDict(java.util.Map.of("weight", Tensor.of(changed, 4, 3), "bias", first.bias().detach()));
            double l = mse.compute(net.call(x), y).item();
            first.loadStateDict(java.util.Map.of("weight", Tensor.of(w, 4, 3), "bias", first.bias().detach()));
            return l;
        }
    }
}
