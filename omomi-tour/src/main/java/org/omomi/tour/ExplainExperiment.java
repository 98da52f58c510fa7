package org.omomi.tour;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.omomi.data.TensorDataset;
import org.omomi.explain.Attribution;
import org.omomi.explain.Explained;
import org.omomi.explain.Figure;
import org.omomi.explain.GradCam;
import org.omomi.explain.IntegratedGradients;
import org.omomi.explain.Pictures;
import org.omomi.explain.Quadrature;
import org.omomi.nn.Sequential;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Tensor;

/**
 * Part 9b: explaining predictions of the trained CNN with Grad-CAM and Integrated Gradients, on
 * the first test image of a few classes.
 */
public final class ExplainExperiment implements Experiment {

    @Override
    public String name() {
        return "explain";
    }

    @Override
    public java.util.List<String> flags() {
        return java.util.List.of("cnn-steps", "images");
    }

    @Override
    public Part run(Setting s) {
        SharedCnn.Trained t = SharedCnn.of(s);
        Sequential model = t.trained();
        model.eval();
        int count = s.option("images", 4, 2);
        Part p = new Part(name(), Text.of("Explaining a prediction: Grad-CAM and Integrated Gradients", "予測の説明：Grad-CAM と Integrated Gradients（統合勾配）"));
        p.say("Grad-CAM weighs the last convolutional layer's feature maps by how much the class score grows with each of them (the spatial mean of ∂y_c/∂A_k), "
                        + "keeps the positive part and scales the map up to the image: where the network looked. Integrated Gradients adds up the gradient along a "
                        + "straight path from a black image to the input (50 Gauss–Legendre steps): each pixel's share of the score, red raising it and blue lowering it. "
                        + "Its attributions add up to F(x) − F(black) up to the convergence delta δ, shown for each image.",
                "Grad-CAM は、最後の畳み込み層の特徴マップを、クラスのスコアがそれぞれでどれだけ増えるか（∂y_c/∂A_k の空間平均）で重みづけして足し、正の部分を画像の大きさに拡大します。"
                        + "ネットワークがどこを見たかを示します。Integrated Gradients（統合勾配）は、黒い画像から入力までの直線に沿って勾配を積分し（Gauss–Legendre 50 点）、"
                        + "各画素がスコアにどれだけ寄与したかを示します（赤はスコアを上げ、青は下げる）。帰属値の合計は F(x) − F(黒) に一致し、その差（収束の誤差 δ）も画像ごとに示します。");
        TensorDataset test = s.images().testPrefix(1000);
        Map<Integer, Integer> firstOfClass = new LinkedHashMap<>();
        for (int i = 0; i < test.size() && firstOfClass.size() < count; i++) {
            firstOfClass.putIfAbsent((int) test.y().get(i), i);
        }
        List<Object> records = new ArrayList<>();
        double worstDelta = 0;
        double focus = 0;
        int k = 0;
        for (Map.Entry<Integer, Integer> e : firstOfClass.entrySet()) {
            int c = e.getKey();
            int i = e.getValue();
            Tensor x = test.x().slice(0, i, i + 1).contiguous();
            float[] image = x.toArray();
            int predicted;
            try (var ignored = Autograd.noGrad()) {
                predicted = (int) model.call(x).argmax(1, false).get(0);
            }
            String name = s.images().classes().get(c);
            Attribution cam = GradCam.of(model, x, c, null, Images.SIDE, Images.SIDE);
            Attribution ig = IntegratedGradients.of(new Explained(model, c, Attribution.Output.LOGIT), x, Tensor.zeros(1, 784),
                    IntegratedGradients.DEFAULT_STEPS, Quadrature.GAUSS_LEGENDRE);
            String head = "test " + i + ": " + name + " (predicted " + s.images().classes().get(predicted) + ")";
            p.picture(new Figure("explain-gradcam-" + k + ".png", "Grad-CAM", "", Pictures.panels(cam, image, Images.SIDE, Images.SIDE, "Grad-CAM — " + head)),
                    Text.of("Grad-CAM, " + head, "Grad-CAM：" + head),
                    Text.of("Layer " + cam.details().get("layer") + ", the class's logit; heat where the evidence for the class lies.",
                            "層 " + cam.details().get("layer") + "、そのクラスのロジット。クラスの根拠がある場所が明るくなります。"));
            p.picture(new Figure("explain-ig-" + k + ".png", "Integrated Gradients", "", Pictures.panels(ig, image, Images.SIDE, Images.SIDE, "Integrated Gradients — " + head)),
                    Text.of("Integrated Gradients, " + head, "統合勾配：" + head),
                    Text.of(String.format(Locale.ROOT, "F(x) = %.3f, F(black) = %.3f, Σ attributions = %.3f, δ = %+.2e (%.2f%% of |ΔF|).", ig.fx(), ig.fBaseline(), ig.sum(), ig.delta(), 100 * ig.relativeDelta()),
                            String.format(Locale.ROOT, "F(x) = %.3f、F(黒) = %.3f、帰属値の合計 = %.3f、δ = %+.2e（|ΔF| の %.2f%%）。", ig.fx(), ig.fBaseline(), ig.sum(), ig.delta(), 100 * ig.relativeDelta())));
            worstDelta = Math.max(worstDelta, ig.relativeDelta());
            focus += onObject(cam.values(), image);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("test_index", (long) i);
            r.put("class", name);
            r.put("predicted", s.images().classes().get(predicted));
            r.put("f_x", ig.fx());
            r.put("f_baseline", ig.fBaseline());
            r.put("delta", ig.delta());
            r.put("gradcam_share_on_object", onObject(cam.values(), image));
            r.put("object_share_of_area", objectArea(image));
            records.add(r);
            k++;
        }
        focus /= Math.max(1, k);
        double area = 0;
        for (Object o : records) {
            area += (Double) ((Map<?, ?>) o).get("object_share_of_area") / k;
        }
        p.number("images", records);
        p.number("worst_relative_delta", worstDelta);
        p.claim("ig_complete", "Integrated Gradients is complete: for every image |δ| ≤ 5% of |F(x) − F(black)| at 50 Gauss–Legendre steps.",
                "統合勾配は完全性を満たします：どの画像でも、Gauss–Legendre 50 点で |δ| は |F(x) − F(黒)| の 5% 以下です。",
                worstDelta <= 0.05, String.format(Locale.ROOT, "largest |δ|/|ΔF| = %.2f%%", 100 * worstDelta));
        p.claim("gradcam_on_object", "Grad-CAM puts more of its heat on the object (its pixels brighter than 0.35, with a 1-pixel margin) than the object's share of the image.",
                "Grad-CAM の熱は、物体（明るさ 0.35 を超える画素と、その周り 1 画素）が画像に占める割合より多く、物体の上に集まります。",
                focus > area, String.format(Locale.ROOT, "share of heat on object pixels %.0f%%, object's share of area %.0f%%", 100 * focus, 100 * area));
        return p;
    }

    /**
     * The object: pixels brighter than 0.35 and their 8 neighbours. Grad-CAM's map comes from 14×14
     * feature maps and is upsampled, so its heat spreads a pixel beyond a thin object's edges;
     * without the margin a 2-pixel bar would be mostly "background". The threshold stays above the
     * synthetic images' background noise.
     */
    static boolean[] object(float[] image) {
        int side = Images.SIDE;
        boolean[] on = new boolean[image.length];
        for (int p = 0; p < image.length; p++) {
            if (image[p] > 0.35f) {
                int r = p / side;
                int c = p % side;
                for (int dr = -1; dr <= 1; dr++) {
                    for (int dc = -1; dc <= 1; dc++) {
                        int rr = r + dr;
                        int cc = c + dc;
                        if (rr >= 0 && rr < side && cc >= 0 && cc < side) {
                            on[rr * side + cc] = true;
                        }
                    }
                }
            }
        }
        return on;
    }

    /** Share of the map's total on the object. */
    static double onObject(float[] map, float[] image) {
        boolean[] obj = object(image);
        double on = 0;
        double all = 0;
        for (int i = 0; i < map.length; i++) {
            all += map[i];
            on += obj[i] ? map[i] : 0;
        }
        return all == 0 ? 0 : on / all;
    }

    /** The object's share of the image. */
    static double objectArea(float[] image) {
        int n = 0;
        for (boolean b : object(image)) {
            n += b ? 1 : 0;
        }
        return (double) n / image.length;
    }
}
