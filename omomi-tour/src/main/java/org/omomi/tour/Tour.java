package org.omomi.tour;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.omomi.explain.Report;
import org.omomi.io.AtomicFile;
import org.omomi.io.Json;

/**
 * The tour: runs experiments in order and writes DIR/index.html (self-contained, in English or
 * Japanese) and DIR/tour.json (format {@code omomi.tour/1}: every part's numbers and claims, keyed
 * by experiment name; documented in docs/tour.md).
 */
public final class Tour {

    /** The practical section's heading and introduction, written before its first part when the page has more than one part. */
    static final Text PRACTICE = Text.of("In practice: the article's three applications", "実践：記事が挙げる3つの応用");
    static final Text PRACTICE_INTRO = Text.of(
            "The parts so far computed the ideas one at a time. The article closes with three places where weights do real work: ad click prediction, "
                    + "where the weight of each feature says what drives a click; a recommendation engine, where a user preference vector weights the items "
                    + "they had; and customer segmentation, where a weighted distance — learned by metric learning — decides which customers count as alike. "
                    + "Each has its own module in omomi (omomi-ctr, omomi-recommend, omomi-segment, reached by “omomi ctr”, “omomi recommend” and "
                    + "“omomi segment”); the next three parts run each on generated data with a known truth, short enough for this page, and check the "
                    + "article's statements on what they compute.",
            "ここまでのパートは考え方を1つずつ計算してきました。記事は最後に、重みが実際に働く3つの場面を挙げます。特徴量ごとの重みがクリックの理由を語る広告クリック予測、"
                    + "ユーザー嗜好ベクトルが過去のアイテムを重みづけするレコメンドエンジン、そしてメトリック学習で学んだ重み付き距離がどの顧客を似ているとみなすかを決める"
                    + "顧客セグメンテーションです。omomi ではそれぞれに専用のモジュールがあります（omomi-ctr、omomi-recommend、omomi-segment。コマンドは「omomi ctr」、"
                    + "「omomi recommend」、「omomi segment」）。次の3つのパートは、それぞれを真の答えがわかっている生成データで、このページに収まる短さで実行し、"
                    + "記事の主張をその計算結果で確かめます。");

    private Tour() {}

    /** What a run produced: the parts in order and the seconds each took. */
    public record Result(List<Part> parts, Map<String, Double> seconds, Path index, Path json) {

        public boolean claimsHold() {
            return parts.stream().allMatch(Part::claimsHold);
        }
    }

    /** Runs the experiments; {@code progress} receives one line per part as it finishes. */
    public static Result run(Setting setting, List<Experiment> experiments, Path out, Text.Lang lang,
                             java.util.function.Consumer<String> progress) throws IOException {
        List<Part> parts = new ArrayList<>();
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (Experiment e : experiments) {
            long t0 = System.nanoTime();
            Part p = e.run(setting);
            double s = (System.nanoTime() - t0) / 1e9;
            parts.add(p);
            seconds.put(e.name(), s);
            progress.accept(String.format(Locale.ROOT, "%-17s %5.1f s  %s", e.name(), s, p.claimsHold() ? "claims hold" : "A CLAIM FAILED"));
        }
        Path index = write(setting, parts, seconds, out, lang);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", "omomi.tour/1");
        json.put("lang", lang.code());
        json.put("data", setting.images().source());
        json.put("quick", setting.quick());
        json.put("seed", setting.seed());
        Map<String, Object> ps = new LinkedHashMap<>();
        for (Part p : parts) {
            Map<String, Object> m = new LinkedHashMap<>(p.numbers());
            m.put("seconds", seconds.get(p.name()));
            ps.put(p.name(), m);
        }
        json.put("parts", ps);
        Path jsonFile = out.resolve("tour.json");
        AtomicFile.writeString(jsonFile, Json.write(json) + "\n");
        return new Result(parts, seconds, index, jsonFile);
    }

    private static Path write(Setting setting, List<Part> parts, Map<String, Double> seconds, Path out, Text.Lang lang) throws IOException {
        boolean en = lang == Text.Lang.EN;
        Report r = new Report(out, en ? "omomi tour: the weights of a neural network, computed" : "omomi ツアー：ニューラルネットワークの重みを計算して見る", lang.code());
        String data = setting.images().source().equals("fashion-mnist")
                ? (en ? "Fashion-MNIST (Debian's dataset-fashion-mnist)" : "Fashion-MNIST（Debian の dataset-fashion-mnist）")
                : (en ? "a built-in synthetic image set (Fashion-MNIST is not installed: apt-get install dataset-fashion-mnist)"
                      : "内蔵の合成画像（Fashion-MNIST が見つかりません：apt-get install dataset-fashion-mnist）");
        double total = seconds.values().stream().mapToDouble(Double::doubleValue).sum();
        r.paragraph(en
                ? "Every number, chart and picture below was computed by omomi when this page was made, from the article's ideas: a neuron, losses, backpropagation, optimizers, initialisation, normalisation, regularisation and pictures of what the weights learned, then its three applications: ad click prediction, recommendation and customer segmentation. Images: " + data
                        + String.format(Locale.ROOT, ". Seed %d%s; %.0f s on this machine. Each part states a claim and checks it on its own numbers.", setting.seed(), setting.quick() ? ", quick mode" : "", total)
                : "このページの数値・グラフ・画像は、すべてページ作成時に omomi が計算したものです。ニューロン、損失関数、誤差逆伝播法、最適化手法、初期化、正規化、正則化、重みが学んだものの可視化を順にたどり、最後に3つの応用（広告クリック予測、レコメンドエンジン、顧客セグメンテーション）を計算します。画像データ："
                        + data + String.format(Locale.ROOT, "。シード %d%s、この計算機で %.0f 秒。各パートは主張を1つ以上述べ、その数値で確かめています。", setting.seed(), setting.quick() ? "（クイックモード）" : "", total));
        int k = 1;
        boolean introduced = false;
        for (Part p : parts) {
            if (!introduced && parts.size() > 1 && Experiments.PRACTICAL.contains(p.name())) {
                introduced = true;
                r.heading(PRACTICE.in(lang));
                r.paragraph(PRACTICE_INTRO.in(lang));
            }
            r.heading(k++ + ". " + p.title().in(lang));
            for (Part.Block b : p.blocks()) {
                if (b instanceof Part.Paragraph para) {
                    r.paragraph(para.text().in(lang));
                } else if (b instanceof Part.Picture pic) {
                    r.figure(pic.figure(), pic.title().in(lang), pic.caption().in(lang));
                } else if (b instanceof Part.Table t) {
                    List<List<String>> rows = new ArrayList<>();
                    rows.add(t.header().stream().map(h -> h.in(lang)).toList());
                    t.rows().forEach(row -> rows.add(row.stream().map(c -> c.in(lang)).toList()));
                    r.table(rows);
                } else if (b instanceof Part.Claim c) {
                    r.claim(c.text().in(lang), c.holds(), c.evidence());
                }
            }
        }
        return r.write();
    }
}
