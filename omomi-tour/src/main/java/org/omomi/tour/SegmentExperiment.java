package org.omomi.tour;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.omomi.data.Csv;
import org.omomi.explain.Figure;
import org.omomi.explain.plot.BarChart;
import org.omomi.segment.Agreement;
import org.omomi.segment.SegmentPictures;
import org.omomi.segment.Segmenter;
import org.omomi.segment.Synthetic;
import org.omomi.tensor.Rng;

/**
 * The practical section's third application, on omomi-segment: a customer table with competing
 * structure — four business segments in two features, four unrelated channel groups separated
 * more strongly in six others, and noise — segmented by plain k-means on standardised features,
 * which finds the channels, and by k-means in a distance learned from a fifth of the labelled
 * customers (NCA, metric learning), which finds the segments; the weights each distance gives
 * the features.
 */
public final class SegmentExperiment implements Experiment {

    /** The share of labelled customers the metric learns from (the module's default). */
    static final double LABEL_FRACTION = 0.2;

    @Override
    public String name() {
        return "segment";
    }

    @Override
    public List<String> flags() {
        return List.of("customers");
    }

    @Override
    public Part run(Setting s) {
        int n = s.option("customers", 2000, 1000);
        Part p = new Part(name(), Text.of("Application 3 — customer segmentation: a learned distance finds the groups that matter",
                "応用3：顧客セグメンテーション — メトリック学習による重み付き距離が、意味のあるグループを見つける"));
        Csv.Table table = Synthetic.customers(n, new Rng(s.seed()));
        Segmenter.Options plainOptions = Segmenter.Options.defaults().withK(Synthetic.SEGMENTS.size())
                .withLabels(Synthetic.SEGMENT_COLUMN, LABEL_FRACTION).withSeed(s.seed());
        Segmenter.Result plain = Segmenter.run(table, plainOptions, null);
        Segmenter.Result nca = Segmenter.run(table, plainOptions.withMethod(Segmenter.Method.NCA), null);
        int[] channels = channelGroups(table);
        double plainAri = plain.scores().ari();
        double ncaAri = nca.scores().ari();
        double plainChannels = Agreement.adjustedRandIndex(channels, plain.segments());
        double ncaChannels = Agreement.adjustedRandIndex(channels, nca.segments());
        List<String> features = nca.customers().features();
        double plainBusiness = share(features, plain.featureWeights(), Synthetic.BUSINESS_FEATURES);
        double ncaBusiness = share(features, nca.featureWeights(), Synthetic.BUSINESS_FEATURES);
        double plainChannelShare = share(features, plain.featureWeights(), Synthetic.CHANNEL_FEATURES);
        double ncaChannelShare = share(features, nca.featureWeights(), Synthetic.CHANNEL_FEATURES);

        p.say(String.format(Locale.ROOT, "The article's third application, now on the module omomi-segment (what “omomi segment” runs). We generate %,d customers "
                        + "with two groupings in them: four business segments (loyal, bargain-hunter, big-basket, occasional) that live in just two features, "
                        + "visits per month and basket value; and four channel groups (app, web, e-mail, push, store, phone use), drawn independently of the segments, "
                        + "that live in six features and are separated more strongly; plus age, tenure and region as noise. Plain k-means (k = 4) on standardised "
                        + "features weighs every feature alike. Metric learning (NCA, neighbourhood components analysis) learns a linear map A from the "
                        + "segments of %.0f%% of the customers, and k-means runs in the weighted distance ‖A(x − y)‖; agreement with the segments (ARI, the "
                        + "adjusted Rand index: 1 the same grouping, 0 chance) is measured on the %.0f%% it did not learn from.",
                        n, 100 * LABEL_FRACTION, 100 * (1 - LABEL_FRACTION)),
                String.format(Locale.ROOT, "記事の3つ目の応用を、モジュール omomi-segment（「omomi segment」が実行するもの）で計算します。%,d 人の顧客を生成します。"
                        + "そこには2つのグループ分けがあります。4つのビジネス上のセグメント（ロイヤル、お得狙い、まとめ買い、たまに来る）は、月あたりの来店回数と1回の購入額の2つの特徴量だけにあります。"
                        + "4つのチャネルのグループ（アプリ・ウェブ・メール・プッシュ・店舗・電話の利用）はセグメントとは無関係に決まり、6つの特徴量にあって、より強く分かれています。"
                        + "年齢・利用期間・地域はノイズです。スケーリング（標準化）した特徴量での素朴な k-means（k = 4）は、すべての特徴量を同じに重みづけします。"
                        + "メトリック学習（NCA、近傍成分分析）は顧客の %.0f%% のセグメントから線形写像 A を学び、k-means は重み付き距離 ‖A(x − y)‖ で実行します。"
                        + "セグメントとの一致度（ARI、調整ランド指数：1 は同じグループ分け、0 は偶然の一致）は、学習に使わなかった %.0f%% の顧客で測ります。",
                        n, 100 * LABEL_FRACTION, 100 * (1 - LABEL_FRACTION)));

        p.table(List.of(Text.of("distance", "距離"), Text.of("ARI against the segments", "セグメントとの ARI"),
                        Text.of("ARI against the channel groups", "チャネルのグループとの ARI"),
                        Text.of("weight on the 2 business features", "ビジネスの2つの特徴量の重み"), Text.of("weight on the 6 channel features", "チャネルの6つの特徴量の重み")),
                List.of(List.of("k-means", f4(plainAri), f4(plainChannels), pct(plainBusiness), pct(plainChannelShare)),
                        List.of("NCA + k-means", f4(ncaAri), f4(ncaChannels), pct(ncaBusiness), pct(ncaChannelShare))));

        BarChart weights = new BarChart("Each feature's share of the distance: plain k-means and the learned metric", "share of the squared distance between two customers");
        for (int j = 0; j < features.size(); j++) {
            weights.bar(features.get(j) + " — plain", plain.featureWeights()[j]);
            weights.bar(features.get(j) + " — learned", nca.featureWeights()[j]);
        }
        p.picture(new Figure("segment-weights.png", "Feature weights", "", weights.render(820, Math.max(380, 90 + 22 * 2 * features.size()))),
                Text.of("The weights of the two distances", "2つの距離の重み"),
                Text.of("Each feature's share of the squared distance between two customers, on average over pairs. Plain k-means gives every numeric "
                                + "feature the same share; the learned metric puts almost all of it on visits per month and basket value.",
                        "2人の顧客の距離の二乗に占める各特徴量の割合（組の平均）。素朴な k-means はすべての数値の特徴量に同じ割合を与え、"
                                + "学習した距離はそのほとんどを月あたりの来店回数と購入額に置きます。"));
        p.picture(new Figure("segment-plain.png", "Plain k-means", "",
                        SegmentPictures.projection(plain.space(), plain.segments(), plain.clustering().centres(), "Plain k-means on standardised features")),
                Text.of("Plain k-means: four clean clusters", "素朴な k-means：きれいに分かれた4つのクラスタ"),
                Text.of("The customers in the first two principal components of the standardised features, coloured by the segment k-means gave them; "
                                + "the table above says which grouping they are.",
                        "標準化した特徴量の第1・第2主成分に顧客を描き、k-means が割り当てたセグメントで色分けしました。どのグループ分けなのかは上の表が示します。"));
        p.picture(new Figure("segment-learned.png", "Learned metric", "",
                        SegmentPictures.projection(nca.space(), nca.segments(), nca.clustering().centres(), "k-means in the distance NCA learned")),
                Text.of("k-means in the learned distance", "学習した距離での k-means"),
                Text.of("The same customers mapped by the learned A, coloured by the segment k-means gave them there.",
                        "同じ顧客を学習した A で写し、そこで k-means が割り当てたセグメントで色分けしました。"));
        p.say(String.format(Locale.ROOT, "Plain k-means finds the strongest grouping in the data, not the one the business asked for: its clusters agree with the "
                        + "channel groups with ARI %.3f and with the segments with ARI %.3f. The learned metric puts %.1f%% of the distance on the two features "
                        + "that separate the segments, and k-means in it agrees with them with ARI %.3f on the customers it did not learn from.",
                        plainChannels, plainAri, 100 * ncaBusiness, ncaAri),
                String.format(Locale.ROOT, "素朴な k-means は、ビジネスが求めたグループ分けではなく、データの中で最も強いグループ分けを見つけます。そのクラスタとチャネルのグループとの ARI は %.3f、"
                        + "セグメントとの ARI は %.3f です。学習した距離は距離の %.1f%% をセグメントを分ける2つの特徴量に置き、その距離での k-means は、"
                        + "学習に使わなかった顧客でセグメントと ARI %.3f で一致します。", plainChannels, plainAri, 100 * ncaBusiness, ncaAri));

        Map<String, Object> pw = new LinkedHashMap<>();
        Map<String, Object> nw = new LinkedHashMap<>();
        for (int j = 0; j < features.size(); j++) {
            pw.put(features.get(j), plain.featureWeights()[j]);
            nw.put(features.get(j), nca.featureWeights()[j]);
        }
        p.number("customers", (long) n);
        p.number("k", (long) plain.k());
        p.number("label_fraction", LABEL_FRACTION);
        p.number("evaluated_customers_learned", (long) nca.scores().evaluated());
        p.number("ari_plain", plainAri);
        p.number("ari_learned", ncaAri);
        p.number("nmi_plain", plain.scores().nmi());
        p.number("nmi_learned", nca.scores().nmi());
        p.number("ari_channels_plain", plainChannels);
        p.number("ari_channels_learned", ncaChannels);
        p.number("business_weight_plain", plainBusiness);
        p.number("business_weight_learned", ncaBusiness);
        p.number("feature_weights_plain", pw);
        p.number("feature_weights_learned", nw);

        p.claim("plain_finds_channels", "Plain k-means finds the wrong grouping: ARI against the segments at most 0.05, against the channel groups at least 0.9.",
                "素朴な k-means は違うグループ分けを見つけます：セグメントとの ARI は 0.05 以下、チャネルのグループとの ARI は 0.9 以上です。",
                plainAri <= 0.05 && plainChannels >= 0.9, String.format(Locale.ROOT, "ARI %.4f against the segments, %.4f against the channels", plainAri, plainChannels));
        p.claim("learned_finds_segments", "k-means in the learned distance finds the planted segments: ARI at least 0.9 on the customers the metric did not learn from.",
                "学習した距離での k-means は仕込んだセグメントを見つけます：学習に使わなかった顧客で ARI 0.9 以上です。",
                ncaAri >= 0.9, String.format(Locale.ROOT, "ARI %.4f on %d customers (NMI %.4f)", ncaAri, nca.scores().evaluated(), nca.scores().nmi()));
        p.claim("weights_on_business", "The learned metric puts at least 90% of the distance on the two business features; plain k-means gives them under a quarter.",
                "学習した距離は距離の 90% 以上をビジネスの2つの特徴量に置きます。素朴な k-means では 4 分の 1 未満です。",
                ncaBusiness >= 0.9 && plainBusiness < 0.25, String.format(Locale.ROOT, "%.1f%% learned, %.1f%% plain", 100 * ncaBusiness, 100 * plainBusiness));
        return p;
    }

    /**
     * Each customer's channel group, read back from the table: the six channel features above or
     * below their mean (each is its group's ±1 pattern times an amplitude plus 0.3 of it in noise,
     * every column balanced, so the mean falls in the middle of the gap between the two levels;
     * a median would fall inside the larger side when the sides differ in count), the sign pattern
     * numbered in order of first appearance.
     */
    static int[] channelGroups(Csv.Table t) {
        int m = Synthetic.CHANNEL_FEATURES.size();
        int n = t.rows().size();
        double[][] v = new double[m][n];
        double[] mean = new double[m];
        for (int j = 0; j < m; j++) {
            int c = t.column(Synthetic.CHANNEL_FEATURES.get(j));
            for (int i = 0; i < n; i++) {
                v[j][i] = Double.parseDouble(t.rows().get(i)[c]);
                mean[j] += v[j][i] / n;
            }
        }
        Map<Integer, Integer> ids = new LinkedHashMap<>();
        int[] g = new int[n];
        for (int i = 0; i < n; i++) {
            int pattern = 0;
            for (int j = 0; j < m; j++) {
                pattern = 2 * pattern + (v[j][i] > mean[j] ? 1 : 0);
            }
            g[i] = ids.computeIfAbsent(pattern, x -> ids.size());
        }
        return g;
    }

    private static double share(List<String> features, double[] weights, List<String> of) {
        double s = 0;
        for (int j = 0; j < features.size(); j++) {
            if (of.contains(features.get(j))) {
                s += weights[j];
            }
        }
        return s;
    }

    private static String f4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }
}
