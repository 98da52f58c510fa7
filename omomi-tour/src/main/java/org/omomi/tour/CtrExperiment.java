package org.omomi.tour;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.omomi.ctr.ArticleTable;
import org.omomi.ctr.ClickGenerator;
import org.omomi.ctr.ClickImportance;
import org.omomi.ctr.ClickLog;
import org.omomi.ctr.ClickModel;
import org.omomi.ctr.CtrConfig;
import org.omomi.ctr.CtrRun;
import org.omomi.ctr.FieldAttributions;
import org.omomi.ctr.Interactions;
import org.omomi.ctr.LogFormat;
import org.omomi.ctr.ModelKind;
import org.omomi.ctr.Progress;
import org.omomi.ctr.Truth;
import org.omomi.explain.Figure;
import org.omomi.explain.plot.BarChart;
import org.omomi.explain.plot.ScatterChart;
import org.omomi.tensor.Inputs;
import org.omomi.train.TrainConfig;

/**
 * The practical section's first application, on omomi-ctr: a click log generated from a known
 * model (the article's three features, categorical fields, noise, and a planted site × ad-category
 * interaction), a logistic regression and a factorization machine trained on it as
 * {@code omomi ctr train} trains them, and the article's table answered by the FM: the starting
 * weights 0.1, 0.9, 0.4 beside the learned ones, which feature weighs most by mean |Integrated
 * Gradients|, and the pairwise table the FM learned beside the planted one.
 */
public final class CtrExperiment implements Experiment {

    /** γ, the planted interaction's standard deviation in the logit (the generator's default). */
    static final double INTERACTION = 1.2;
    /** Impressions per step, and the FM's Adam step size (see {@link #config}). */
    static final int BATCH = 256;
    static final double FM_LR = 0.02;
    /** Held-out rows the importance is averaged over. */
    static final int IG_ROWS = 500;
    /** The features the generator makes pure noise. */
    static final List<String> NOISE = List.of("noise_1", "noise_2", "noise_cat");

    @Override
    public String name() {
        return "ctr";
    }

    @Override
    public List<String> flags() {
        return List.of("rows", "epochs");
    }

    @Override
    public Part run(Setting s) throws IOException {
        int rows = s.option("rows", 40_000, 20_000);
        int epochs = s.option("epochs", 4, 3);
        Part p = new Part(name(), Text.of("Application 1 — ad click prediction: the article's table, answered by omomi-ctr",
                "応用1：広告クリック予測 — 記事の表に omomi-ctr が答える"));
        Path dir = Files.createTempDirectory("omomi-tour-ctr");
        try {
            return run(p, s, dir, rows, epochs);
        } finally {
            Files.walk(dir).sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private Part run(Part p, Setting s, Path dir, int rows, int epochs) throws IOException {
        Path log = dir.resolve("clicks.csv");
        Truth truth = ClickGenerator.write(log, new ClickGenerator.Options(rows, s.seed(), LogFormat.CSV, INTERACTION), Progress.NONE);
        CtrRun.Result lr = CtrRun.train(config(log, ModelKind.LR, epochs, s.seed()), dir.resolve("lr"), Progress.NONE);
        CtrRun.Result fm = CtrRun.train(config(log, ModelKind.FM, epochs, s.seed()), dir.resolve("fm"), Progress.NONE);

        Inputs held = fm.heldOut().data().inputs();
        int n = Math.min(IG_ROWS, held.size());
        int[] first = new int[n];
        for (int i = 0; i < n; i++) {
            first[i] = i;
        }
        Inputs in = held.rows(first);
        ClickImportance imp = ClickImportance.of(fm.model(), fm.features(), ModelKind.FM, in,
                FieldAttributions.Baseline.mean(fm.model(), fm.features(), in));
        float[] dense = fm.model().stateDict().get(ClickModel.DENSE + ".weight").toArray();
        ArticleTable table = ArticleTable.of(fm.features(), CtrConfig.ARTICLE_START, dense, imp, truth);
        Interactions learned = Interactions.learned(fm.model(), fm.features(), truth.interaction().rowField(), truth.interaction().columnField());
        Interactions planted = Interactions.of(truth);
        double correlation = learned.correlation(planted);
        double aucLr = lr.metric("auc");
        double aucFm = fm.metric("auc");
        double aucTrue = fm.metric("true_auc");

        p.say(String.format(Locale.ROOT, "The article's first application, now on the module omomi-ctr (the calls of “omomi ctr generate” and “omomi ctr train”). "
                        + "We generate %,d impressions from a known model: the user's age (+0.3 per standard deviation), interest-category match (+1.0) and "
                        + "the ad's display frequency (−0.6, fatigue), a site, an ad category and a device with effects of their own, three features of pure noise, "
                        + "and a planted interaction: some ad categories click far better on some sites (γ = %.1f). A logistic regression and a factorization "
                        + "machine (FM: every pair of fields gets the dot product of two learned vectors) train on 90%% of them for %d epochs, the numeric weights "
                        + "starting from the article's 0.1, 0.9, 0.4; the other 10%% are held out.",
                        rows, INTERACTION, epochs),
                String.format(Locale.ROOT, "記事の1つ目の応用を、モジュール omomi-ctr（「omomi ctr generate」と「omomi ctr train」が呼ぶもの）で計算します。"
                        + "既知のモデルから %,d 件の広告表示を生成します。ユーザーの年齢（標準偏差あたり +0.3）、興味カテゴリ一致度（+1.0）、広告の表示頻度（−0.6、見飽き）、"
                        + "それ自体の効果をもつサイト・広告カテゴリ・デバイス、純粋なノイズの特徴量が3つ、そして仕込んだ交互作用（ある広告カテゴリはあるサイトで特によくクリックされる、γ = %.1f）です。"
                        + "ロジスティック回帰と Factorization Machine（FM：フィールドの組ごとに、学習した2つのベクトルの内積を足す）を、その 90%% で %d エポック学習します。"
                        + "数値の特徴量の重みは記事の 0.1, 0.9, 0.4 から始めます。残りの 10%% はテストデータとして取っておきます。",
                        rows, INTERACTION, epochs));

        List<List<String>> tableRows = new ArrayList<>();
        List<Object> articleJson = new ArrayList<>();
        for (ArticleTable.Line l : table.rows()) {
            tableRows.add(List.of(l.feature(), f3(l.start()), f3(l.learned()), f3(l.truth()), String.format(Locale.ROOT, "%.4f", l.meanAbsIg())));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("feature", l.feature());
            m.put("starting_weight", l.start());
            m.put("learned_weight", l.learned());
            m.put("true_weight", l.truth());
            m.put("mean_abs_ig", l.meanAbsIg());
            articleJson.add(m);
        }
        p.table(List.of(Text.of("feature", "特徴量"), Text.of("starting weight", "初期の重み"), Text.of("learned weight (FM)", "学習した重み（FM）"),
                Text.of("true weight", "真の重み"), Text.of("mean |IG| of the logit", "ロジットへの平均 |IG|")), tableRows);

        BarChart bars = new BarChart("The article's three weights: start, learned (FM), true", "weight per standard deviation").signed(true);
        for (ArticleTable.Line l : table.rows()) {
            bars.bar(l.feature() + " — start", l.start());
            bars.bar(l.feature() + " — learned", l.learned());
            bars.bar(l.feature() + " — true", l.truth());
        }
        p.picture(new Figure("ctr-weights.png", "Weights", "", bars.render(820, 380)),
                Text.of("Starting, learned and true weights", "初期の重み・学習した重み・真の重み"),
                Text.of("The numeric features' first-order weights of the FM, per standard deviation of the feature: where the article started, where training "
                        + "ended, and the model that generated the clicks.",
                        "FM の数値特徴量の1次の重み（特徴量の標準偏差あたり）。記事の初期値、学習後の値、クリックを生成したモデルの値です。"));

        BarChart ig = new BarChart("What weighs most: mean |Integrated Gradients| (FM, " + imp.rows() + " held-out rows)", "mean |attribution| to the logit");
        Map<String, Object> igJson = new LinkedHashMap<>();
        for (int i : imp.ranking()) {
            ig.bar(imp.names().get(i) + (imp.numeric()[i] ? "" : " (field)"), imp.meanAbsIg()[i]);
        }
        for (int i = 0; i < imp.names().size(); i++) {
            igJson.put(imp.names().get(i), imp.meanAbsIg()[i]);
        }
        p.picture(new Figure("ctr-importance.png", "Importance", "", ig.render(720)),
                Text.of("Which feature weighs most", "どの特徴量の重みが大きいか"),
                Text.of("Each feature's mean |Integrated Gradients| of the logit over held-out impressions, from the average impression as baseline: how far "
                        + "knowing it moves the log-odds of a click.",
                        "テストデータの広告表示について、平均的な表示を基準点とした、ロジットに対する各特徴量の Integrated Gradients（統合勾配）の絶対値の平均です。"
                                + "その特徴量を知ることでクリックの対数オッズがどれだけ動くかを表します。"));

        double[][][] both = shared(learned, planted);
        double[][] a = centered(both[0]);
        double[][] b = centered(both[1]);
        double[] xs = new double[a.length * a[0].length];
        double[] ys = new double[xs.length];
        for (int i = 0, c = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++, c++) {
                xs[c] = b[i][j];
                ys[c] = a[i][j];
            }
        }
        ScatterChart scatter = new ScatterChart(String.format(Locale.ROOT, "site × ad_category: learned against planted (r = %.3f)", correlation),
                "planted interaction (double-centered)", "FM's ⟨v_site, v_category⟩ (double-centered)");
        scatter.group("one (site, ad category) pair", xs, ys);
        p.picture(new Figure("ctr-interaction.png", "Interaction", "", scatter.render(640, 480)),
                Text.of("The interaction the FM found", "FM が見つけた交互作用"),
                Text.of(String.format(Locale.ROOT, "One dot per pair of %d sites and %d ad categories: the planted interaction against the dot product of the two "
                                + "vectors the FM learned for them. Both tables are double-centered (row and column means are the fields' own effects).",
                                a.length, a[0].length),
                        String.format(Locale.ROOT, "%d のサイトと %d の広告カテゴリの組ごとに1点。仕込んだ交互作用と、FM が両者に学習した2つのベクトルの内積を比べます。"
                                + "どちらの表も行と列の平均を引いてあります（行・列の平均はフィールドそれ自体の効果です）。", a.length, a[0].length)));

        ArticleTable.Line age = table.rows().get(0);
        ArticleTable.Line interest = table.rows().get(1);
        ArticleTable.Line frequency = table.rows().get(2);
        double maxErr = 0;
        for (ArticleTable.Line l : table.rows()) {
            maxErr = Math.max(maxErr, Math.abs(l.learned() - l.truth()));
        }
        double minArticle = Double.POSITIVE_INFINITY;
        for (ArticleTable.Line l : table.rows()) {
            minArticle = Math.min(minArticle, l.meanAbsIg());
        }
        double maxNoise = 0;
        String noisiest = "";
        for (String f : NOISE) {
            if (imp.meanAbsIg(f) > maxNoise) {
                maxNoise = imp.meanAbsIg(f);
                noisiest = f;
            }
        }

        p.say(String.format(Locale.ROOT, "Held-out AUC: logistic regression %.4f, FM %.4f, the true model %.4f. Without crosses the logistic regression cannot "
                        + "express the site × category interaction; the FM learns it from the vectors, and its table correlates %.3f with the planted one. Of the "
                        + "noise features, %s gets the most mean |IG| (%.3f): the FM gave its values vectors of their own, which fit a little noise in a short run. "
                        + "The weakest of the article's three gets %.3f.",
                        aucLr, aucFm, aucTrue, correlation, noisiest, maxNoise, minArticle),
                String.format(Locale.ROOT, "テストデータの AUC：ロジスティック回帰 %.4f、FM %.4f、真のモデル %.4f。交差特徴量のないロジスティック回帰はサイト × カテゴリの交互作用を表せません。"
                        + "FM はそれをベクトルから学び、その表は仕込んだ表と相関 %.3f です。ノイズの特徴量のうち平均 |IG| が最も大きいのは %s（%.3f）です。"
                        + "FM はその値にもベクトルを与え、短い学習ではノイズを少し当てはめてしまいます。記事の3つの特徴量のうち最も小さいものは %.3f です。",
                        aucLr, aucFm, aucTrue, correlation, noisiest, maxNoise, minArticle));

        p.number("rows", (long) rows);
        p.number("epochs", (long) epochs);
        p.number("interaction", INTERACTION);
        p.number("article_table", articleJson);
        p.number("mean_abs_ig", igJson);
        p.number("ig_rows", (long) imp.rows());
        p.number("ig_max_abs_delta", imp.maxAbsDelta());
        p.number("auc_lr", aucLr);
        p.number("auc_fm", aucFm);
        p.number("auc_true", aucTrue);
        p.number("interaction_correlation", correlation);

        p.claim("interest_weighs_most", "Interest match weighs most: it ends with the largest |learned weight| and the largest mean |IG| of the article's three features.",
                "興味カテゴリ一致度の重みが最も大きくなります：記事の3つの特徴量のうち、学習した重みの絶対値も平均 |IG| も最大です。",
                table.interestWeighsMost(), String.format(Locale.ROOT, "|learned| = %.3f, %.3f, %.3f; mean |IG| = %.4f, %.4f, %.4f (age, interest, frequency)",
                        Math.abs(age.learned()), Math.abs(interest.learned()), Math.abs(frequency.learned()),
                        age.meanAbsIg(), interest.meanAbsIg(), frequency.meanAbsIg()));
        p.claim("weights_recovered", "From the article's starting weights, training lands near the true ones: each of the three within 0.15.",
                "記事の初期の重みから学習した重みは、真の重みのそれぞれ 0.15 以内に落ち着きます。",
                maxErr <= 0.15, String.format(Locale.ROOT, "largest |learned − true| = %.3f", maxErr));
        p.claim("noise_weighs_least", "The three pure-noise features get less mean |IG| than each of the article's three features.",
                "純粋なノイズの3つの特徴量の平均 |IG| は、記事の3つの特徴量のどれよりも小さくなります。",
                maxNoise < minArticle, String.format(Locale.ROOT, "largest noise %.4f (%s), smallest of the three %.4f", maxNoise, noisiest, minArticle));
        p.claim("fm_finds_interaction", "The FM finds the planted interaction: its site × ad_category table correlates at least 0.9 with the planted one, "
                        + "and its AUC beats the logistic regression's by at least 0.03.",
                "FM は仕込んだ交互作用を見つけます：サイト × 広告カテゴリの表は仕込んだ表と 0.9 以上相関し、AUC はロジスティック回帰を 0.03 以上上回ります。",
                correlation >= 0.9 && aucFm - aucLr >= 0.03,
                String.format(Locale.ROOT, "correlation %.3f; AUC FM %.4f, lr %.4f (true model %.4f)", correlation, aucFm, aucLr, aucTrue));
        return p;
    }

    private static CtrConfig config(Path log, ModelKind kind, int epochs, long seed) {
        CtrConfig c = CtrConfig.defaults(ClickLog.of(log, LogFormat.CSV), kind);
        // Every epoch is run (a short run has nothing to stop early for), in batches of 256 rather than the command's 1024: a
        // short run needs the steps. The FM's Adam steps at 0.02 rather than 0.01 for the same reason.
        c = c.withLoop(new TrainConfig.Loop(epochs, BATCH, seed, true, false, 0, 0)).withPatience(0);
        if (kind == ModelKind.FM) {
            TrainConfig.Optim o = c.optim();
            c = c.withOptim(new TrainConfig.Optim(o.optimizer(), FM_LR, o.momentum(), o.weightDecay(), o.l1(), o.l2(), o.schedule()));
        }
        return c;
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** The two tables over the values both name, in the learned table's order: {learned, planted}. */
    private static double[][][] shared(Interactions learned, Interactions planted) {
        List<int[]> rs = new ArrayList<>();
        List<int[]> cs = new ArrayList<>();
        for (int i = 0; i < learned.rows().size(); i++) {
            int j = planted.rows().indexOf(learned.rows().get(i));
            if (j >= 0) {
                rs.add(new int[] {i, j});
            }
        }
        for (int i = 0; i < learned.columns().size(); i++) {
            int j = planted.columns().indexOf(learned.columns().get(i));
            if (j >= 0) {
                cs.add(new int[] {i, j});
            }
        }
        double[][][] t = new double[2][rs.size()][cs.size()];
        for (int i = 0; i < rs.size(); i++) {
            for (int j = 0; j < cs.size(); j++) {
                t[0][i][j] = learned.table()[rs.get(i)[0]][cs.get(j)[0]];
                t[1][i][j] = planted.table()[rs.get(i)[1]][cs.get(j)[1]];
            }
        }
        return t;
    }

    /** Each cell minus its row and column means plus the grand mean: the pure interaction, as {@link Interactions#correlation} compares it. */
    static double[][] centered(double[][] t) {
        int n = t.length;
        int m = t[0].length;
        double[] rm = new double[n];
        double[] cm = new double[m];
        double g = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                rm[i] += t[i][j] / m;
                cm[j] += t[i][j] / n;
                g += t[i][j] / ((double) n * m);
            }
        }
        double[][] out = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                out[i][j] = t[i][j] - rm[i] - cm[j] + g;
            }
        }
        return out;
    }
}
