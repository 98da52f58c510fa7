package org.omomi.recommend;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a trained run does for people: a user's preference vector, their top k with the reasons,
 * the items most like an item, new users folded in from their first interactions, and the
 * evaluation beside the popularity baseline. The CLI and the tour call this class; everything is
 * computed from the run's vectors ({@link Factors}), so nothing here trains.
 */
public final class Recommender {

    /** One recommended item: its index, score and the explanation of the score. */
    public record Recommendation(int item, float score, Explanation explanation) {}

    /** An item like another, by the cosine of their vectors. */
    public record Similar(int item, double cosine) {}

    /** A folded-in user: their id, their vector (or the fallback) and their recommendations. */
    public record FoldedIn(String user, UserVector vector, List<Recommendation> recommendations) {}

    private final RecommendRun run;
    private final PreferenceVectors.History[] histories;
    private final float[] popularity;

    public Recommender(RecommendRun run) {
        this.run = run;
        this.histories = PreferenceVectors.History.training(run.data(), run.split());
        this.popularity = new float[run.data().itemCount()];
        for (int k : run.split().train()) {
            popularity[run.data().item(k)]++;
        }
    }

    public RecommendRun run() {
        return run;
    }

    /** Training interactions per item. */
    public float[] popularity() {
        return popularity.clone();
    }

    /** The training history of a user (time order). */
    public PreferenceVectors.History history(int user) {
        return histories[user];
    }

    /** The user's index; an unknown id says how many users the run knows. */
    public int user(String id) {
        return run.data().users().index(id);
    }

    /** The item's index; an unknown id says how many items the run knows. */
    public int item(String id) {
        return run.data().items().index(id);
    }

    /** An item as people read it: its title (with the id when the title does not show it) and genres. */
    public String describe(int item) {
        String id = run.data().items().id(item);
        String title = run.catalog().title(id);
        List<String> genres = run.catalog().genres(id);
        return title + (title.contains(id) ? "" : " #" + id) + (genres.isEmpty() ? "" : " [" + String.join(", ", genres) + "]");
    }

    /** The preference vectors of a weighting, scaled on this run's training users. */
    public PreferenceVectors vectors(Weighting w, double halfLife) {
        return PreferenceVectors.calibrated(run.factors(), w, halfLife > 0 ? halfLife : run.halfLife(), run.attention(), histories);
    }

    /**
     * A known user's vector: the trained one (weighting null), decomposed over their training
     * items, or the weighted preference vector of their training history.
     */
    public UserVector vector(int user, Weighting weighting, double halfLife) {
        if (weighting == null) {
            return PreferenceVectors.trained(run.factors(), user, histories[user]);
        }
        return vectors(weighting, halfLife).weighted(histories[user], Interactions.NO_TIME);
    }

    /** The top k for a vector, leaving out {@code seen} (sorted item indices), each explained. */
    public List<Recommendation> top(UserVector v, int k, int[] seen) {
        float[] s = PreferenceVectors.scores(run.factors(), v, popularity);
        List<Recommendation> out = new ArrayList<>();
        for (int i : Ranking.top(s, k, seen)) {
            out.add(new Recommendation(i, s[i], v.fallback() ? null : Explanation.of(run.factors(), v, i)));
        }
        return out;
    }

    /** The items a user had in training, sorted: what their recommendations leave out. */
    public int[] seen(int user) {
        int[] s = histories[user].items().clone();
        Arrays.sort(s);
        return s;
    }

    /** The k items whose vectors are closest in angle to item i's (i itself left out). */
    public List<Similar> similar(int item, int k) {
        int n = run.data().itemCount();
        float[] cos = new float[n];
        for (int j = 0; j < n; j++) {
            cos[j] = (float) run.factors().cosine(item, j);
        }
        List<Similar> out = new ArrayList<>();
        for (int j : Ranking.top(cos, k, new int[] {item})) {
            out.add(new Similar(j, cos[j]));
        }
        return out;
    }

    /**
     * New users from a file of interactions (any layout {@link InteractionFile} reads): each
     * user's rows become a history over the run's items — an unknown item is an error naming the
     * file and line — and a weighted preference vector, without retraining; a user with fewer
     * than {@link PreferenceVectors#MIN_INTERACTIONS} gets the popularity fallback, said so.
     */
    public List<FoldedIn> foldIn(Path file, InteractionFile.Layout layout, Weighting w, double halfLife, int k) throws IOException {
        Map<String, List<Object[]>> rows = new LinkedHashMap<>();
        Interactions.Ids items = run.data().items();
        InteractionFile.forEach(file, layout, (u, i, r, t, line) -> {
            int item = items.indexOrMinusOne(i);
            if (item < 0) {
                throw new IllegalArgumentException(file + " line " + line + ": unknown item '" + i + "'; the run knows "
                        + items.size() + " items (items.csv in the run folder lists them)");
            }
            rows.computeIfAbsent(u, x -> new ArrayList<>()).add(new Object[] {item, r, t});
        });
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(file + ": no interactions to fold in");
        }
        PreferenceVectors vectors = vectors(w, halfLife);
        List<FoldedIn> out = new ArrayList<>();
        for (Map.Entry<String, List<Object[]>> e : rows.entrySet()) {
            List<Object[]> l = new ArrayList<>(e.getValue());
            l.sort((a, b) -> Long.compare((long) a[2], (long) b[2])); // time order (stable: file order for ties)
            int n = l.size();
            int[] it = new int[n];
            float[] r = new float[n];
            long[] t = new long[n];
            for (int j = 0; j < n; j++) {
                it[j] = (int) l.get(j)[0];
                r[j] = (float) l.get(j)[1];
                t[j] = (long) l.get(j)[2];
            }
            PreferenceVectors.History h = new PreferenceVectors.History(it, r, t);
            UserVector v = vectors.weighted(h, Interactions.NO_TIME);
            int[] seen = it.clone();
            Arrays.sort(seen);
            out.add(new FoldedIn(e.getKey(), v, top(v, k, seen)));
        }
        return out;
    }

    /**
     * The evaluation on the run's test split: the model's ranking metrics, RMSE for ratings, and
     * the popularity baseline's under {@code popularity_} (and for ratings {@code mean_rmse}, the
     * training mean predicting every rating); {@code seed} draws the sampled negatives.
     */
    public Map<String, Double> evaluate(int k, long seed) {
        Evaluator ev = new Evaluator(run.data(), run.split(), k, seed);
        if (ev.users() == 0) {
            throw new IllegalArgumentException("no user has a held-out interaction: every user has fewer than two");
        }
        Map<String, Double> out = new LinkedHashMap<>(ev.evaluate(Evaluator.of(run.factors())));
        if (run.kind().rating()) {
            out.put("rmse", Evaluator.rmse(run.factors(), run.data(), run.split()));
        }
        ev.evaluate(Evaluator.popularity(run.data(), run.split())).forEach((name, v) -> out.put("popularity_" + name, v));
        if (run.kind().rating()) {
            out.put("mean_rmse", Evaluator.rmse(meanOnly(), run.data(), run.split())); // the training mean for every rating
        }
        out.put("users", (double) ev.users());
        return out;
    }

    /** The baseline's rating predictor: the training mean for everyone. */
    private Factors meanOnly() {
        Factors f = run.factors();
        double s = 0;
        int[] train = run.split().train();
        for (int r : train) {
            s += run.data().rating(r);
        }
        return new Factors(f.dim(), new float[f.users().length], new float[f.items().length], new float[f.itemCount()],
                new float[f.userCount()], (float) (s / train.length));
    }
}
