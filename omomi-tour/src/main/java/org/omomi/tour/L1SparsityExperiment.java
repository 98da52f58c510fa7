package org.omomi.tour;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.omomi.data.TensorDataset;
import org.omomi.explain.Figure;
import org.omomi.explain.plot.BarChart;
import org.omomi.explain.plot.ImageGrid;
import org.omomi.nn.Dense;
import org.omomi.nn.Penalty;
import org.omomi.optim.Sgd;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.train.Trainer;

/**
 * L1 regularization as feature selection. On Fashion-MNIST, softmax regression (one Dense layer,
 * 784 → 10) trained with and without an L1 penalty λ·Σ|w|: the share of weights that end near zero,
 * and per input pixel the L1 norm of its ten outgoing weights as a 28 × 28 image. On a synthetic
 * table of a few relevant and many irrelevant features, which features' weights L1 sends to zero.
 *
 * <p>Training is plain SGD without momentum, so the penalty's subgradient λ·sign(w) moves a weight
 * whose data gradient is smaller than λ towards zero and then makes it hop across zero by at most
 * η·λ per step. Weights so driven do not become exactly zero (omomi has no proximal step); they end
 * within about η·λ of it, which is why "near zero" is a threshold, {@value #NEAR_ZERO}.
 */
public final class L1SparsityExperiment implements Experiment {

    /** |w| below this counts as near zero. */
    static final double NEAR_ZERO = 1e-3;
    static final double LR = 0.1;
    static final float L1_IMAGES = 2e-3f;
    static final int FEATURES = 20;
    /** The relevant features' true coefficients; the other features do not affect the label. */
    static final double[] COEFFICIENTS = {2.0, -1.5, 1.0, -0.75};
    static final float L1_TABLE = 0.02f;
    static final double LR_TABLE = 0.05;
    /** A table feature whose two weights' L1 norm is below this counts as dropped: 1% of a relevant feature's, a few hops of η·λ. */
    static final double TABLE_DROPPED = 0.01;

    public L1SparsityExperiment() {}

    @Override
    public String name() {
        return "l1-sparsity";
    }

    @Override
    public java.util.List<String> flags() {
        return java.util.List.of("train", "steps", "table-steps");
    }

    @Override
    public Part run(Setting s) {
        int trainSize = s.option("train", 10000, 3000);
        int steps = s.option("steps", 600, 250);
        int batch = 100;
        TensorDataset train = s.images().trainPrefix(trainSize);
        TensorDataset test = s.images().testPrefix(2000);

        Dense plain = new Dense(784, 10, new Rng(s.seed()));
        Dense sparse = new Dense(784, 10, new Rng(s.seed()));
        sparse.penalize(Penalty.l1(L1_IMAGES));
        Fit.steps(plain, Sgd.of(plain.parameters(), LR), train, batch, steps, s.seed() + 1);
        Fit.steps(sparse, Sgd.of(sparse.parameters(), LR), train, batch, steps, s.seed() + 1);
        float[] wPlain = plain.weight().toArray();
        float[] wSparse = sparse.weight().toArray();
        double sharePlain = nearZeroShare(wPlain);
        double shareSparse = nearZeroShare(wSparse);
        float[] pixelPlain = pixelNorms(wPlain);
        float[] pixelSparse = pixelNorms(wSparse);
        double[] ink = meanPixels(train.x());
        boolean[] droppedPlain = droppedPixels(wPlain);
        boolean[] droppedSparse = droppedPixels(wSparse);
        int nDroppedPlain = count(droppedPlain);
        int nDroppedSparse = count(droppedSparse);
        double inkDropped = meanWhere(ink, droppedSparse, true);
        double inkKept = meanWhere(ink, droppedSparse, false);
        double accPlain = Trainer.evaluate(plain, Images.HEAD, test).get("accuracy");
        double accSparse = Trainer.evaluate(sparse, Images.HEAD, test).get("accuracy");

        Part part = new Part(name(), Text.of("L1 regularization drives weights to zero and selects features",
                "L1 正則化は重みを 0 に追いやり、特徴選択をする"));
        part.say(String.format(Locale.ROOT, "Softmax regression, a single Dense layer 784 → 10 (the simplest network: each class's score is a linear combination "
                                + "of the pixels), is trained twice on the first %,d training images: without regularization and with an L1 penalty λ·Σ|w|, λ = %s. "
                                + "Both start from the same weights, PyTorch's default U(±1/28), and take the same %d steps of plain SGD (learning rate %s) on the same batches of %d.",
                        train.size(), fmt(L1_IMAGES), steps, fmt(LR), batch),
                String.format(Locale.ROOT, "1層だけのネットワーク（784 → 10 の全結合層、各クラスのスコアは画素の線形結合）を、訓練データの先頭 %,d 枚で2回学習します。"
                                + "1回は正則化なし、もう1回は L1 正則化（損失に λ·Σ|w| を足す、λ = %s）です。どちらも同じ初期の重み（PyTorch の既定 U(±1/28)）から始め、"
                                + "同じミニバッチ（%d 枚）で、モメンタムなしの SGD（学習率 η = %s）を %d 反復学習します。",
                        train.size(), fmt(L1_IMAGES), batch, fmt(LR), steps));
        part.say(String.format(Locale.ROOT, "The penalty's gradient is λ·sign(w): the same pull towards zero for a small weight as for a large one, so a weight whose "
                                + "pixel does not help enough goes all the way to zero, where an L2 penalty's pull 2λw would fade. With plain gradient steps it then "
                                + "hops across zero by at most η·λ = %s instead of resting exactly on it, so we count |w| < %s as zero.",
                        fmt(LR * L1_IMAGES), fmt(NEAR_ZERO)),
                String.format(Locale.ROOT, "L1 正則化の勾配は λ·sign(w) で、小さい重みにも大きい重みにも同じ強さで 0 へ引っぱります。そのため、役に立つ度合いが足りない画素の重みは 0 まで行き着きます"
                                + "（L2 正則化の引っぱる力 2λw は重みが小さくなると弱まります）。ふつうの勾配降下法では、0 ちょうどに止まらず、1 反復に最大 η·λ = %s ずつ 0 をまたいで行き来するので、"
                                + "|w| < %s を 0 とみなします。",
                        fmt(LR * L1_IMAGES), fmt(NEAR_ZERO)));

        float[] meanImage = new float[ink.length];
        for (int p = 0; p < ink.length; p++) {
            meanImage[p] = (float) ink[p];
        }
        ImageGrid grid = new ImageGrid("Per pixel: sum of |w| over the 10 classes, and near-zero weights",
                        List.of(meanImage, pixelPlain, pixelSparse, nearZeroCounts(wSparse)), Images.SIDE, Images.SIDE)
                .columns(4)
                .scale(6)
                .colormap(true)
                .captions(List.of("mean training image", "sum |w|, no regularization", "sum |w|, L1", "near-zero of 10, L1"));
        part.picture(new Figure(name() + "-pixel-weights.png", "Per-pixel weight norm, without and with L1", "", grid.render()),
                Text.of("Which pixels the model still uses", "モデルがまだ使っている画素"),
                Text.of(String.format(Locale.ROOT, "First: the mean of the training images, where the ink is. Second and third: for each of the 784 input pixels, the L1 norm "
                                + "Σ|w| of its ten outgoing weights, drawn at the pixel's place, without and with L1 (λ = %s). Fourth: how many of the ten weights "
                                + "are near zero (|w| < %s) with L1, bright = all ten. Viridis, dark = small, each image scaled to its own range. Without regularization a pixel that is always black, such as the border of Fashion-MNIST, gets no gradient "
                                + "and keeps its random initial weights; L1 pulls them to zero. Here %d pixels have all ten weights below %s with L1, and %d without.",
                                fmt(L1_IMAGES), fmt(NEAR_ZERO), nDroppedSparse, fmt(NEAR_ZERO), nDroppedPlain),
                        String.format(Locale.ROOT, "1枚目は訓練画像の平均で、何かが写る場所を示します。2枚目と3枚目は、784 個の入力画素それぞれについて、そこから出る 10 本の重みの L1 ノルム Σ|w| を画素の位置に描いたもので、"
                                + "正則化なしと L1 正則化あり（λ = %s）です。4枚目は L1 正則化ありで 10 本のうち何本が 0 付近（|w| < %s）かを示し、明るいほど多く、最も明るいのは 10 本すべてです。"
                                + "色は viridis（暗いほど小さい）、各画像はそれぞれの範囲で色づけしています。"
                                + "Fashion-MNIST の縁のようにいつも黒い画素には、正則化なしでは勾配が来ないので、初期のランダムな重みがそのまま残ります。"
                                + "L1 正則化はそれを 0 へ引き寄せます。今回、10 本の重みがすべて %s 未満の画素は、L1 正則化ありで %d 個、なしで %d 個です。",
                                fmt(L1_IMAGES), fmt(NEAR_ZERO), fmt(NEAR_ZERO), nDroppedSparse, nDroppedPlain)));

        part.table(List.of(Text.of("model", "モデル"), Text.of("weights with |w| < " + fmt(NEAR_ZERO), "|w| < " + fmt(NEAR_ZERO) + " の重みの割合"),
                        Text.of("dropped pixels (all 10 weights near zero)", "外された画素（10 本すべてが 0 付近）"), Text.of("test accuracy", "テスト精度")),
                List.of(List.of("no regularization / 正則化なし", f3(sharePlain), Integer.toString(nDroppedPlain), f3(accPlain)),
                        List.of("L1 / L1 正則化", f3(shareSparse), Integer.toString(nDroppedSparse), f3(accSparse))));
        String cost = String.format(Locale.ROOT, " What it costs: test accuracy %.3f with L1 against %.3f without, measured on %,d test images.",
                accSparse, accPlain, test.size());
        String costJa = String.format(Locale.ROOT, "その代わり精度は少し下がることがあります。テストデータ %,d 枚での精度は L1 正則化ありで %.3f、なしで %.3f です。",
                test.size(), accSparse, accPlain);
        if (nDroppedSparse > 0) {
            part.say(String.format(Locale.ROOT, "The %d pixels L1 dropped lie where the images have (almost) nothing but background: their mean brightness over the "
                                    + "training images is %.3f, against %.3f for the pixels kept.", nDroppedSparse, inkDropped, inkKept) + cost,
                    String.format(Locale.ROOT, "L1 正則化が外した %d 個の画素は、画像に背景（ほぼ）しか写らない場所です。訓練画像での平均の明るさは %.3f で、残った画素では %.3f です。",
                            nDroppedSparse, inkDropped, inkKept) + costJa);
        } else {
            part.say("No pixel lost all ten weights here: every pixel of these images carries some noise, so each gets a little gradient; L1 still zeroes many single weights." + cost,
                    "今回は 10 本の重みがすべて 0 付近になった画素はありません。この画像ではどの画素にも少しノイズが乗っていて、わずかな勾配が来るためです。"
                            + "それでも L1 正則化は多くの重みを 1 本ずつ 0 にしています。" + costJa);
        }

        // The synthetic table: a few relevant features among irrelevant noise.
        Table table = table(1000, s.seed());
        int tableSteps = s.option("table-steps", 1500, 800);
        Dense tPlain = new Dense(FEATURES, 2, new Rng(s.seed() + 7));
        Dense tSparse = new Dense(FEATURES, 2, new Rng(s.seed() + 7));
        tSparse.penalize(Penalty.l1(L1_TABLE));
        Fit.steps(tPlain, Sgd.of(tPlain.parameters(), LR_TABLE), table.data(), table.data().size(), tableSteps, s.seed() + 2);
        Fit.steps(tSparse, Sgd.of(tSparse.parameters(), LR_TABLE), table.data(), table.data().size(), tableSteps, s.seed() + 2);
        double[] fPlain = featureNorms(tPlain.weight().toArray());
        double[] fSparse = featureNorms(tSparse.weight().toArray());
        int relevant = COEFFICIENTS.length;
        List<Integer> droppedL1 = new ArrayList<>();
        List<Integer> droppedNone = new ArrayList<>();
        double maxIrrelevant = 0;
        double minRelevant = Double.POSITIVE_INFINITY;
        for (int j = 0; j < FEATURES; j++) {
            if (fSparse[j] < TABLE_DROPPED) {
                droppedL1.add(j + 1);
            }
            if (fPlain[j] < TABLE_DROPPED) {
                droppedNone.add(j + 1);
            }
            if (j < relevant) {
                minRelevant = Math.min(minRelevant, fSparse[j]);
            } else {
                maxIrrelevant = Math.max(maxIrrelevant, fSparse[j]);
            }
        }
        int droppedIrrelevant = (int) droppedL1.stream().filter(j -> j > relevant).count();
        int droppedRelevant = droppedL1.size() - droppedIrrelevant;

        part.say(String.format(Locale.ROOT, "The same on a table, where we know the answer: %,d rows of %d features drawn N(0, 1); the label is 1 when "
                                + "%s + noise > 0, so only x1 to x%d matter and x%d to x%d are noise. A two-class softmax regression (Dense %d → 2) is trained on all rows "
                                + "at once for %,d steps of gradient descent (learning rate %s), without regularization and with L1 (λ = %s). A feature counts as dropped "
                                + "when the L1 norm of its two weights is below %s, about 1%% of a relevant feature's and a few hops of η·λ.",
                        table.data().size(), FEATURES, table.formula(), relevant, relevant + 1, FEATURES, FEATURES, tableSteps, fmt(LR_TABLE), fmt(L1_TABLE), fmt(TABLE_DROPPED)),
                String.format(Locale.ROOT, "答えのわかっている表データでも確かめます。%,d 行、%d 個の特徴量を N(0, 1) から引き、%s + ノイズ > 0 のときラベルを 1 とします。"
                                + "効くのは x1 から x%d だけで、x%d から x%d はただのノイズです。2クラスのソフトマックス回帰（全結合層 %d → 2）を、全行をまとめた勾配降下法（学習率 η = %s）で %,d 反復、"
                                + "正則化なしと L1 正則化（λ = %s）で学習します。特徴量の 2 本の重みの L1 ノルムが %s 未満（効く特徴量の約 1%%、η·λ の数回分）なら、その特徴量は外されたとみなします。",
                        table.data().size(), FEATURES, table.formula(), relevant, relevant + 1, FEATURES, FEATURES, fmt(LR_TABLE), tableSteps, fmt(L1_TABLE), fmt(TABLE_DROPPED)));

        BarChart bars = new BarChart("Per feature: |w| summed over both outputs, with L1", "L1 norm of the feature's weights");
        List<List<String>> rows = new ArrayList<>();
        for (int j = 0; j < FEATURES; j++) {
            String label = "x" + (j + 1) + (j < relevant ? " (relevant)" : "");
            bars.bar(label, fSparse[j]);
            rows.add(List.of("x" + (j + 1), j < relevant ? fmt(COEFFICIENTS[j]) : "0", f4(fPlain[j]), f4(fSparse[j]), fSparse[j] < TABLE_DROPPED ? "dropped / 外れる" : "kept / 残る"));
        }
        part.picture(new Figure(name() + "-table-features.png", "Per-feature weight norm with L1", "", bars.render(640, 480)),
                Text.of("L1 keeps the relevant features and drops the noise", "L1 正則化は効く特徴量を残し、ノイズを外す"),
                Text.of(String.format(Locale.ROOT, "For each of the %d features of the synthetic table, the L1 norm of its two weights after training with the L1 penalty. "
                                + "x1 to x%d determine the label; the rest are noise.", FEATURES, relevant),
                        String.format(Locale.ROOT, "合成の表データの %d 個の特徴量それぞれについて、L1 正則化ありで学習したあとの 2 本の重みの L1 ノルム。x1 から x%d がラベルを決め、残りはノイズです。",
                                FEATURES, relevant)));
        part.table(List.of(Text.of("feature", "特徴量"), Text.of("true coefficient", "真の係数"), Text.of("|w|, no regularization", "|w|（正則化なし）"),
                Text.of("|w|, L1", "|w|（L1 正則化）"), Text.of("with L1", "L1 正則化で")), rows);

        part.number("near_zero_threshold", NEAR_ZERO);
        part.number("images_steps", steps);
        part.number("near_zero_share_plain", sharePlain);
        part.number("near_zero_share_l1", shareSparse);
        part.number("dropped_pixels_plain", nDroppedPlain);
        part.number("dropped_pixels_l1", nDroppedSparse);
        part.number("ink_dropped_pixels", inkDropped);
        part.number("ink_kept_pixels", inkKept);
        part.number("test_accuracy_plain", accPlain);
        part.number("test_accuracy_l1", accSparse);
        part.number("table_feature_norms_plain", Fit.list(fPlain));
        part.number("table_feature_norms_l1", Fit.list(fSparse));
        part.number("table_dropped_l1", droppedL1);
        part.number("table_dropped_plain", droppedNone);
        part.number("table_min_relevant_l1", minRelevant);
        part.number("table_max_irrelevant_l1", maxIrrelevant);

        part.claim("l1_zeroes_weights",
                String.format(Locale.ROOT, "L1 leaves far more weights near zero (|w| < %s): at least a third of them, and at least five times the share without regularization.",
                        fmt(NEAR_ZERO)),
                String.format(Locale.ROOT, "L1 正則化では 0 付近（|w| < %s）の重みがずっと多い：全体の 1/3 以上で、正則化なしの 5 倍以上。", fmt(NEAR_ZERO)),
                shareSparse >= 1.0 / 3 && shareSparse >= 5 * sharePlain,
                String.format(Locale.ROOT, "near-zero share: L1 %.3f, none %.3f; pixels with all ten weights near zero: L1 %d, none %d",
                        shareSparse, sharePlain, nDroppedSparse, nDroppedPlain));
        part.claim("l1_selects_features",
                String.format(Locale.ROOT, "On the table, L1 drops every irrelevant feature (weight norm below %s) and keeps every relevant one (weight norm above 0.1); "
                        + "without regularization no feature is dropped.", fmt(TABLE_DROPPED)),
                String.format(Locale.ROOT, "表データでは、L1 正則化は無関係な特徴量をすべて外し（重みの L1 ノルムが %s 未満）、効く特徴量はすべて残す（0.1 超）。正則化なしでは外される特徴量はない。",
                        fmt(TABLE_DROPPED)),
                droppedIrrelevant == FEATURES - relevant && droppedRelevant == 0 && minRelevant > 0.1 && droppedNone.isEmpty(),
                String.format(Locale.ROOT, "with L1: dropped %s; smallest relevant %.3f, largest irrelevant %.4f; without: dropped %s", droppedL1, minRelevant, maxIrrelevant, droppedNone));
        return part;
    }

    /** The synthetic table and the formula of its label. */
    record Table(TensorDataset data, String formula) {}

    static Table table(int rows, long seed) {
        Rng rng = new Rng(seed ^ 0x7AB1EL);
        float[] x = new float[rows * FEATURES];
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            double z = 0;
            for (int j = 0; j < FEATURES; j++) {
                float v = (float) rng.nextGaussian();
                x[i * FEATURES + j] = v;
                if (j < COEFFICIENTS.length) {
                    z += COEFFICIENTS[j] * v;
                }
            }
            y[i] = z + 0.5 * rng.nextGaussian() > 0 ? 1 : 0;
        }
        StringBuilder f = new StringBuilder();
        for (int j = 0; j < COEFFICIENTS.length; j++) {
            double c = COEFFICIENTS[j];
            f.append(j == 0 ? (c < 0 ? "−" : "") : (c < 0 ? " − " : " + ")).append(fmt(Math.abs(c))).append("·x").append(j + 1);
        }
        return new Table(new TensorDataset(Tensor.wrap(x, rows, FEATURES), Tensor.wrap(y, rows)), f.toString());
    }

    /** Share of values with |w| below {@link #NEAR_ZERO}. */
    static double nearZeroShare(float[] w) {
        int n = 0;
        for (float v : w) {
            n += Math.abs(v) < NEAR_ZERO ? 1 : 0;
        }
        return (double) n / w.length;
    }

    /** For a [10, 784] weight: per pixel, Σ over classes of |w|. */
    static float[] pixelNorms(float[] w) {
        int in = w.length / 10;
        float[] out = new float[in];
        for (int c = 0; c < 10; c++) {
            for (int p = 0; p < in; p++) {
                out[p] += Math.abs(w[c * in + p]);
            }
        }
        return out;
    }

    /** For a [10, 784] weight: per pixel, how many of its ten weights are near zero. */
    static float[] nearZeroCounts(float[] w) {
        int in = w.length / 10;
        float[] out = new float[in];
        for (int c = 0; c < 10; c++) {
            for (int p = 0; p < in; p++) {
                out[p] += Math.abs(w[c * in + p]) < NEAR_ZERO ? 1 : 0;
            }
        }
        return out;
    }

    /** Pixels whose ten outgoing weights are all near zero. */
    static boolean[] droppedPixels(float[] w) {
        int in = w.length / 10;
        boolean[] out = new boolean[in];
        for (int p = 0; p < in; p++) {
            boolean all = true;
            for (int c = 0; c < 10 && all; c++) {
                all = Math.abs(w[c * in + p]) < NEAR_ZERO;
            }
            out[p] = all;
        }
        return out;
    }

    /** For a [2, d] weight: per feature, |w₀| + |w₁|. */
    static double[] featureNorms(float[] w) {
        int d = w.length / 2;
        double[] out = new double[d];
        for (int j = 0; j < d; j++) {
            out[j] = Math.abs(w[j]) + Math.abs(w[d + j]);
        }
        return out;
    }

    /** Mean of each column of an [N, D] tensor. */
    static double[] meanPixels(Tensor x) {
        int n = x.size(0);
        int d = x.size(1);
        float[] a = x.contiguous().toArray();
        double[] out = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                out[j] += a[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            out[j] /= n;
        }
        return out;
    }

    private static double meanWhere(double[] v, boolean[] mask, boolean want) {
        double s = 0;
        int k = 0;
        for (int i = 0; i < v.length; i++) {
            if (mask[i] == want) {
                s += v[i];
                k++;
            }
        }
        return k == 0 ? Double.NaN : s / k;
    }

    private static int count(boolean[] b) {
        int n = 0;
        for (boolean x : b) {
            n += x ? 1 : 0;
        }
        return n;
    }

    private static String fmt(double v) {
        if (v == Math.rint(v)) {
            return Long.toString((long) v);
        }
        if (Math.abs(v) < 0.01) {
            return String.format(Locale.ROOT, "%.0e", v).replace("e-0", "e-");
        }
        return String.valueOf((float) v);
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String f4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
