package org.omomi.tour;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.omomi.explain.Figure;
import org.omomi.explain.plot.BarChart;
import org.omomi.recommend.ColdStart;
import org.omomi.recommend.Evaluator;
import org.omomi.recommend.Explanation;
import org.omomi.recommend.Factors;
import org.omomi.recommend.HalfLife;
import org.omomi.recommend.Interactions;
import org.omomi.recommend.ModelKind;
import org.omomi.recommend.PreferenceVectors;
import org.omomi.recommend.Ranking;
import org.omomi.recommend.Split;
import org.omomi.recommend.Synthetic;
import org.omomi.recommend.Training;
import org.omomi.recommend.UserVector;
import org.omomi.recommend.Weighting;

/**
 * The practical section's second application, on omomi-recommend: interactions generated from
 * planted tastes (items in groups, each user leaning to one or two), BPR item vectors trained on
 * most users, and the users it never saw folded in as weighted preference vectors
 * u = s·Σⱼ w̃ⱼ·qⱼ of the items they had, recency-weighted, without retraining. One new user is shown:
 * the weights of their past items, their vector, their recommendations and the past items behind
 * each (the score split into one part per past item).
 */
public final class RecommendExperiment implements Experiment {

    /** Recommendations listed for the user shown. */
    static final int SHOWN = 5;
    /** The cut-off of the hit rates. */
    static final int K = 10;
    /** Seconds in a day: the generator's timestamps are seconds. */
    static final double DAY = 86_400;
    /** The past items shown behind each recommendation. */
    static final int REASONS = 3;

    @Override
    public String name() {
        return "recommend";
    }

    @Override
    public List<String> flags() {
        return List.of("users", "epochs");
    }

    @Override
    public Part run(Setting s) {
        int users = s.option("users", 800, 500);
        int items = users / 2;
        int newUsers = users / 10;
        int epochs = s.option("epochs", 10, 8);
        Part p = new Part(name(), Text.of("Application 2 — recommendation: a weighted user preference vector",
                "応用2：レコメンドエンジン — 重みづけしたユーザー嗜好ベクトル"));

        Synthetic.Data truth = Synthetic.generate(Synthetic.Options.of(users, items, s.seed()));
        Interactions all = truth.interactions();
        int[][] byUser = all.byUser();
        List<Integer> warm = new ArrayList<>();
        List<PreferenceVectors.History> cold = new ArrayList<>();
        for (int u = 0; u < all.userCount(); u++) {
            if (u < all.userCount() - newUsers) {
                for (int k : byUser[u]) {
                    warm.add(k);
                }
            } else {
                cold.add(PreferenceVectors.History.of(all, byUser[u]));
            }
        }
        Interactions data = all.subset(warm.stream().mapToInt(Integer::intValue).toArray());
        Split split = Split.leaveOneOut(data, 1, true, s.seed());
        Training.Options options = Training.Options.defaults(ModelKind.BPR).withEpochs(epochs).withSeed(s.seed());
        Factors f;
        try {
            f = Training.train(data, split, options, null).factors();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // no run folder: nothing is written
        }

        Evaluator ev = new Evaluator(data, split, K, s.seed());
        Map<String, Double> bpr = ev.evaluate(Evaluator.of(f));
        Map<String, Double> pop = ev.evaluate(Evaluator.popularity(data, split));
        float[] popularity = new float[data.itemCount()];
        for (int k : split.train()) {
            popularity[data.item(k)]++;
        }
        PreferenceVectors.History[] histories = PreferenceVectors.History.training(data, split);
        double halfLife = HalfLife.fromData(data, split);
        PreferenceVectors recency = PreferenceVectors.calibrated(f, Weighting.RECENCY, halfLife, null, histories);
        ColdStart.Result folded = ColdStart.evaluate(f, recency, popularity, cold, K, K);

        // Every new user's top 10 from all but their latest interaction: the explanations' sums, and whose group the reasons are from.
        double worstGap = 0;
        int explained = 0;
        int sameGroup = 0;
        for (PreferenceVectors.History h : cold) {
            if (h.size() < K) {
                continue;
            }
            PreferenceVectors.History past = h.first(h.size() - 1);
            UserVector v = recency.weighted(past, Interactions.NO_TIME);
            float[] scores = PreferenceVectors.scores(f, v, popularity);
            for (int i : Ranking.top(scores, K, sorted(past.items()))) {
                Explanation e = Explanation.of(f, v, i);
                worstGap = Math.max(worstGap, Math.max(Math.abs(e.sumByItems() - scores[i]), Math.abs(e.sumByDimensions() - scores[i])));
                sameGroup += group(truth, data, e.pastItems()[e.topItems(1)[0]]) == group(truth, data, i) ? 1 : 0;
                explained++;
            }
        }
        double sameGroupShare = (double) sameGroup / explained;

        // The user shown: the first new user with at least 10 interactions; the latest is held out.
        PreferenceVectors.History shown = cold.stream().filter(h -> h.size() >= K).findFirst().orElseThrow();
        int shownUser = all.userCount() - newUsers + cold.indexOf(shown);
        PreferenceVectors.History past = shown.first(shown.size() - 1);
        int next = shown.items()[shown.size() - 1];
        double[] w = recency.weights(past, Interactions.NO_TIME);
        UserVector v = recency.weighted(past, Interactions.NO_TIME);
        float[] scores = PreferenceVectors.scores(f, v, popularity);
        int[] seen = sorted(past.items());
        int[] top = Ranking.top(scores, K, seen);
        int nextRank = 0;
        for (int i = 0; i < scores.length; i++) {
            if (i != next && Arrays.binarySearch(seen, i) < 0 && scores[i] > scores[next]) {
                nextRank++;
            }
        }

        p.say(String.format(Locale.ROOT, "The article's second application, now on the module omomi-recommend. We generate %,d users and %,d items: the items "
                        + "fall into %d planted groups, each user leans to one group (half of them to a second), and picks about %d items one after another "
                        + "with a pull towards popular ones. BPR (Bayesian personalized ranking) learns a %d-number vector per item from %,d users in %d epochs. "
                        + "The last %d users it never sees: each is folded in, without retraining, as a weighted preference vector — the mean of the vectors of "
                        + "the items they had, each weighted by how recent it is (half-life %.1f days, ten times the median gap between a user's picks) — "
                        + "u = s·Σⱼ w̃ⱼ·qⱼ.",
                        users, items, truth.options().groups(), truth.options().perUser(), f.dim(), users - newUsers, epochs, newUsers,
                        halfLife / DAY),
                String.format(Locale.ROOT, "記事の2つ目の応用を、モジュール omomi-recommend で計算します。%,d 人のユーザーと %,d 個のアイテムを生成します。"
                        + "アイテムは %d の仕込んだグループに分かれ、各ユーザーは1つのグループ（半数はもう1つ）を好み、人気のあるものに引かれつつ約 %d 個のアイテムを順に選びます。"
                        + "BPR（Bayesian Personalized Ranking）が %,d 人のユーザーから %d エポックで、アイテムごとに %d 次元のベクトルを学習します。"
                        + "最後の %d 人は学習に使いません。それぞれを再学習なしで、重みづけしたユーザー嗜好ベクトルとして加えます。"
                        + "持っていたアイテムのベクトルを、新しいものほど大きく重みづけして（半減期 %.1f 日、ユーザーが選ぶ間隔の中央値の 10 倍）平均したものです：u = s·Σⱼ w̃ⱼ·qⱼ。",
                        users, items, truth.options().groups(), truth.options().perUser(), users - newUsers, epochs, f.dim(), newUsers,
                        halfLife / DAY));

        // The user's past items by weight, largest first.
        Integer[] byWeight = new Integer[past.size()];
        for (int j = 0; j < byWeight.length; j++) {
            byWeight[j] = j;
        }
        Arrays.sort(byWeight, (a, b) -> Double.compare(w[b], w[a]) != 0 ? Double.compare(w[b], w[a]) : Integer.compare(a, b));
        BarChart weights = new BarChart("User " + all.users().id(shownUser) + ": the weight of each past item in the preference vector", "weight w̃ⱼ");
        for (int j : byWeight) {
            weights.bar(describe(truth, data, past.items()[j]) + (j == past.size() - 1 ? " (latest)" : ""), w[j]);
        }
        p.picture(new Figure("recommend-weights.png", "Preference weights", "", weights.render(720)),
                Text.of("One new user's weighted preference vector: how much each past item counts",
                        "新しいユーザー1人の重みづけした嗜好ベクトル：過去の各アイテムがどれだけ効くか"),
                Text.of(String.format(Locale.ROOT, "User %s had %d items before the one held out; the latest counts most, one a half-life earlier half as much. "
                                + "The planted group of each item is in brackets.", all.users().id(shownUser), past.size()),
                        String.format(Locale.ROOT, "ユーザー %s は、取っておいた1つの前に %d 個のアイテムを持っています。最新のものが最も効き、半減期だけ前のものはその半分です。"
                                + "かっこ内は各アイテムの仕込んだグループです。", all.users().id(shownUser), past.size())));

        BarChart vector = new BarChart("User " + all.users().id(shownUser) + "'s preference vector u (" + f.dim() + " factors)", "u_k").signed(true);
        for (int k = 0; k < f.dim(); k++) {
            vector.bar("factor " + k, v.vector()[k]);
        }
        p.picture(new Figure("recommend-vector.png", "Preference vector", "", vector.render(720)),
                Text.of("The preference vector itself", "嗜好ベクトルそのもの"),
                Text.of("u = s·Σⱼ w̃ⱼ·qⱼ, factor by factor; an item's score is ⟨u, qᵢ⟩ + bᵢ, its match with this vector plus its own bias.",
                        "u = s·Σⱼ w̃ⱼ·qⱼ を因子ごとに示します。アイテムのスコアは ⟨u, qᵢ⟩ + bᵢ、このベクトルとの一致度にアイテム自身のバイアスを足したものです。"));

        List<List<Text>> rows = new ArrayList<>();
        List<Object> recJson = new ArrayList<>();
        for (int r = 0; r < SHOWN; r++) {
            int i = top[r];
            Explanation e = Explanation.of(f, v, i);
            StringBuilder en = new StringBuilder();
            List<Object> reasons = new ArrayList<>();
            for (int j : e.topItems(REASONS)) {
                if (en.length() > 0) {
                    en.append("; ");
                }
                en.append(describe(truth, data, e.pastItems()[j])).append(String.format(Locale.ROOT, " %+.3f", e.itemContributions()[j]));
                Map<String, Object> reason = new LinkedHashMap<>();
                reason.put("item", data.items().id(e.pastItems()[j]));
                reason.put("group", (long) group(truth, data, e.pastItems()[j]));
                reason.put("contribution", e.itemContributions()[j]);
                reasons.add(reason);
            }
            double others = Arrays.stream(e.itemContributions()).sum();
            for (int j : e.topItems(REASONS)) {
                others -= e.itemContributions()[j];
            }
            String rest = String.format(Locale.ROOT, "%.3f", others);
            String parts = String.format(Locale.ROOT, "%.3f", e.itemBias());
            rows.add(List.of(Text.of(Integer.toString(r + 1), Integer.toString(r + 1)),
                    Text.of(describe(truth, data, i), describe(truth, data, i)),
                    Text.of(String.format(Locale.ROOT, "%.3f", scores[i]), String.format(Locale.ROOT, "%.3f", scores[i])),
                    Text.of(en.toString(), en.toString()),
                    Text.of(rest, rest), Text.of(parts, parts),
                    Text.of(String.format(Locale.ROOT, "%.3f", e.sumByItems()), String.format(Locale.ROOT, "%.3f", e.sumByItems()))));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("item", data.items().id(i));
            m.put("group", (long) group(truth, data, i));
            m.put("score", (double) scores[i]);
            m.put("item_bias", e.itemBias());
            m.put("sum_of_parts", e.sumByItems());
            m.put("top_past_items", reasons);
            recJson.add(m);
        }
        p.textTable(List.of(Text.of("rank", "順位"), Text.of("recommended item [group]", "おすすめのアイテム [グループ]"), Text.of("score", "スコア"),
                        Text.of("the past items behind it, and their parts of the score", "その理由となった過去のアイテムと、スコアへの寄与"),
                        Text.of("the other past items", "その他の過去のアイテム"), Text.of("item bias bᵢ", "アイテムのバイアス bᵢ"),
                        Text.of("sum of the parts", "寄与の合計")),
                rows);
        p.say(String.format(Locale.ROOT, "Each score splits exactly into one part per past item, c_j·⟨q_j, q_i⟩ with c_j = s·w̃_j, plus the item's bias: the table "
                        + "shows the three largest parts, the rest, and their sum, which is the score. The item this user actually chose next (held out) ranks %d of the %d "
                        + "they had not had.", nextRank + 1, data.itemCount() - seen.length),
                String.format(Locale.ROOT, "各スコアは、過去のアイテムごとの寄与 c_j·⟨q_j, q_i⟩（c_j = s·w̃_j）とアイテムのバイアスにちょうど分かれます。表は大きい方から3つの寄与、"
                        + "残りの寄与、その合計（スコアに等しい）を示します。このユーザーが実際に次に選んだアイテム（取っておいたもの）は、まだ持っていない %2$d 個のうち %1$d 位です。",
                        nextRank + 1, data.itemCount() - seen.length));

        p.textTable(List.of(Text.of("users", "ユーザー"), Text.of("scorer", "スコアの付け方"), Text.of("HR@10", "HR@10"), Text.of("NDCG@10", "NDCG@10")),
                List.of(row(ev.users(), Text.of("trained users: BPR's own user vectors", "学習したユーザー：BPR のユーザーベクトル"), bpr.get("hr@10"), bpr.get("ndcg@10")),
                        row(ev.users(), Text.of("trained users: popularity", "学習したユーザー：popularity"), pop.get("hr@10"), pop.get("ndcg@10")),
                        row(folded.users(), Text.of("new users: recency-weighted preference vectors", "新しいユーザー：新しいものほど重みづけした嗜好ベクトル"),
                                folded.hitRate(), folded.ndcg()),
                        row(folded.users(), Text.of("new users: popularity", "新しいユーザー：popularity"), folded.popularityHitRate(), folded.popularityNdcg())));
        p.say("HR@10 is the share of users whose held-out latest item is among their top 10 of the whole catalogue (the items they had left out); "
                        + "popularity recommends the most-chosen items to everyone.",
                "HR@10 は、取っておいた最新のアイテムが、カタログ全体（持っていたアイテムを除く）の上位 10 件に入ったユーザーの割合です。"
                        + "popularity は、最も多く選ばれたアイテムを全員にすすめます。");

        p.number("users", (long) users);
        p.number("items", (long) items);
        p.number("new_users", (long) newUsers);
        p.number("epochs", (long) epochs);
        p.number("dim", (long) f.dim());
        p.number("half_life_seconds", halfLife);
        p.number("hr@10_bpr", bpr.get("hr@10"));
        p.number("hr@10_popularity", pop.get("hr@10"));
        p.number("ndcg@10_bpr", bpr.get("ndcg@10"));
        p.number("ndcg@10_popularity", pop.get("ndcg@10"));
        p.number("new_users_scored", (long) folded.users());
        p.number("hr@10_new_users_weighted", folded.hitRate());
        p.number("hr@10_new_users_popularity", folded.popularityHitRate());
        p.number("shown_user", all.users().id(shownUser));
        List<Object> pastJson = new ArrayList<>();
        for (int j = 0; j < past.size(); j++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("item", data.items().id(past.items()[j]));
            m.put("group", (long) group(truth, data, past.items()[j]));
            m.put("weight", w[j]);
            pastJson.add(m);
        }
        p.number("shown_past_items", pastJson);
        List<Object> u = new ArrayList<>();
        for (float x : v.vector()) {
            u.add((double) x);
        }
        p.number("shown_vector", u);
        p.number("shown_recommendations", recJson);
        p.number("shown_next_item_rank", (long) (nextRank + 1));
        p.number("explanations_checked", (long) explained);
        p.number("largest_sum_gap", worstGap);
        p.number("top_reason_same_group_share", sameGroupShare);

        p.claim("bpr_beats_popularity", "Trained vectors beat popularity: BPR's HR@10 on the full catalogue is at least 0.1 above popularity's.",
                "学習したベクトルは popularity に勝ちます：カタログ全体での BPR の HR@10 は popularity より 0.1 以上高くなります。",
                bpr.get("hr@10") >= pop.get("hr@10") + 0.1, String.format(Locale.ROOT, "HR@10 %.3f against %.3f (%d users)", bpr.get("hr@10"),
                        pop.get("hr@10"), ev.users()));
        p.claim("folded_in_beats_popularity", "New users folded in as recency-weighted preference vectors, without retraining, beat popularity for the same users.",
                "再学習なしで、新しいものほど重みづけした嗜好ベクトルとして加えた新しいユーザーにとって、popularity より良いおすすめになります。",
                folded.hitRate() > folded.popularityHitRate() && folded.fallbacks() == 0,
                String.format(Locale.ROOT, "HR@10 %.3f against %.3f (%d new users, %d popularity fallbacks)", folded.hitRate(), folded.popularityHitRate(),
                        folded.users(), folded.fallbacks()));
        p.claim("parts_add_up", "The past items' parts and the item bias add up to the score within 1e-5, for every new user's top 10.",
                "過去のアイテムごとの寄与とアイテムのバイアスの合計は、すべての新しいユーザーの上位 10 件でスコアと 1e-5 以内で一致します。",
                worstGap <= 1e-5, String.format(Locale.ROOT, "largest |Σ parts − score| = %.1e over %d recommendations", worstGap, explained));
        p.claim("reasons_share_the_group", "The past item behind a recommendation most is, for most of them, from the recommended item's own planted group.",
                "おすすめの一番の理由となった過去のアイテムは、多くの場合おすすめのアイテムと同じ仕込んだグループに属します。",
                sameGroupShare > 0.5, String.format(Locale.ROOT, "%.1f%% of %d recommendations", 100 * sameGroupShare, explained));
        return p;
    }

    /** A row of the hit-rate table: users, the scorer, HR@10, NDCG@10. */
    private static List<Text> row(int users, Text scorer, double hr, double ndcg) {
        return List.of(Text.of(Integer.toString(users), Integer.toString(users)), scorer, Text.of(f3(hr), f3(hr)), Text.of(f3(ndcg), f3(ndcg)));
    }

    /** The planted group of an item (the generator's ids are 1, 2, …). */
    private static int group(Synthetic.Data truth, Interactions data, int item) {
        return truth.itemGroup()[Integer.parseInt(data.items().id(item)) - 1];
    }

    private static String describe(Synthetic.Data truth, Interactions data, int item) {
        return "item " + data.items().id(item) + " [" + group(truth, data, item) + "]";
    }

    private static int[] sorted(int[] a) {
        int[] s = a.clone();
        Arrays.sort(s);
        return s;
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
