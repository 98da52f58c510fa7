package org.omomi.recommend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.omomi.dashboard.Block;
import org.omomi.dashboard.RunFiles;
import org.omomi.dashboard.RunView;

/**
 * The dashboard's view of a recommender run ({@code omomi recommend train}; the folder holds
 * recommend.json and its weights): a menu of users, and for the chosen one (parameter {@code user},
 * default the first) their top k ({@code k}, default {@value #K}) with the explanation of each
 * score — the past items that pulled it up most, c_j·⟨q_j, q_i⟩, and the factor dimensions the
 * match lies in, u_k·q_ik ({@link Explanation}) — computed by {@link Recommender} from the saved run,
 * as {@code omomi recommend top --explain} prints them.
 *
 * <p>The opened run is kept while its files keep their size and time, so choosing another user
 * does not read the folder again. Found through {@code META-INF/services/org.omomi.dashboard.RunView};
 * omomi-recommend depends on omomi-dashboard optionally.
 */
public final class RecommenderView implements RunView {

    /** Recommendations shown by default. */
    static final int K = 10;
    /** Users offered in the menu at most (in index order; any other by {@code ?user=ID}). */
    static final int MENU = 500;
    /** Past items and dimensions listed per recommendation. */
    static final int REASONS = 3;

    private record Opened(List<Long> stamp, Recommender recommender) {}

    private final Map<Path, Opened> open = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public String id() {
        return "recommendations";
    }

    @Override
    public String title() {
        return "Recommendations and why";
    }

    @Override
    public boolean appliesTo(RunFiles run) {
        return run.has("recommend.json") && run.has("model.safetensors");
    }

    @Override
    public List<Block> blocks(RunFiles run, Map<String, String> params) throws IOException {
        Recommender r = recommender(run);
        List<String> users = r.run().data().users().ids();
        String user = blank(params.get("user")) ? users.get(0) : params.get("user");
        int k = blank(params.get("k")) ? K : Integer.parseInt(params.get("k").strip());
        if (k < 1 || k > 100) {
            throw new IllegalArgumentException("k must be from 1 to 100, got " + k);
        }
        List<String> menu = new ArrayList<>(users.subList(0, Math.min(MENU, users.size())));
        if (!menu.contains(user)) {
            menu.add(user);
        }
        List<Block> out = new ArrayList<>();
        out.add(new Block.Choice("user", "user", menu, user));
        out.add(new Block.Choice("k", "how many", List.of("5", "10", "20", "50"), Integer.toString(k)));
        int u = r.run().data().users().indexOrMinusOne(user);
        if (u < 0) {
            out.add(new Block.Text("The run knows no user '" + user + "' (" + users.size() + " users; users.csv lists them)."));
            return out;
        }
        UserVector v = r.vector(u, null, 0);
        List<Recommender.Recommendation> recs = r.top(v, k, r.seen(u));
        String about = String.format(Locale.ROOT, "User %s: %d training interactions; %s vector of %d factors (%s). Items the user had"
                + " in training are left out. Each score is μ + b_u + b_i + ⟨u, q_i⟩, and ⟨u, q_i⟩ splits into a part per past item j,"
                + " c_j·⟨q_j, q_i⟩, plus a residual, or into a part per factor dimension, u_k·q_ik.",
                user, r.history(u).size(), v.source(), r.run().factors().dim(), r.run().kind().id());
        if (users.size() > MENU) {
            about += String.format(Locale.ROOT, " The menu lists the first %d of %d users.", MENU, users.size());
        }
        out.add(new Block.Text(about));
        List<List<Object>> top = new ArrayList<>();
        List<List<Object>> byItem = new ArrayList<>();
        List<List<Object>> byDimension = new ArrayList<>();
        int rank = 0;
        for (Recommender.Recommendation rec : recs) {
            rank++;
            String item = r.describe(rec.item());
            Explanation e = rec.explanation();
            if (e == null) { // the popularity fallback ranks by counts
                top.add(row(rank, item, (double) rec.score(), null, null, null));
                continue;
            }
            double past = java.util.Arrays.stream(e.itemContributions()).sum();
            top.add(row(rank, item, (double) rec.score(), past, e.residual(), e.global() + e.userBias() + e.itemBias()));
            for (int j : e.topItems(REASONS)) {
                byItem.add(List.of((long) rank, item, r.describe(e.pastItems()[j]), e.itemContributions()[j]));
            }
            for (int d : e.topDimensions(REASONS)) {
                byDimension.add(List.of((long) rank, item, "d" + d, e.dimensions()[d]));
            }
        }
        out.add(new Block.Table("Top " + k + " for user " + user, List.of("rank", "item", "score", "from past items", "residual", "biases μ + b_u + b_i"), top));
        if (!byItem.isEmpty()) {
            out.add(new Block.Table("Because of: the past items that raise each score most", List.of("rank", "item", "past item", "c_j·⟨q_j, q_i⟩"), byItem));
            out.add(new Block.Table("The factor dimensions with the largest parts", List.of("rank", "item", "dimension", "u_k·q_ik"), byDimension));
        } else {
            out.add(new Block.Text("This user has no preference vector: popularity ranks instead (" + v.source() + ")."));
        }
        return out;
    }

    private static List<Object> row(int rank, String item, Double score, Double past, Double residual, Double biases) {
        List<Object> r = new ArrayList<>();
        r.add((long) rank);
        r.add(item);
        r.add(score);
        r.add(past);
        r.add(residual);
        r.add(biases);
        return r;
    }

    /** The run opened once, again only when its files change. */
    private Recommender recommender(RunFiles run) throws IOException {
        List<Long> stamp = new ArrayList<>();
        for (String f : List.of("recommend.json", "model.safetensors", "interactions.csv", "users.csv", "items.csv")) {
            Path p = run.file(f).orElse(null);
            stamp.add(p == null ? -1 : Files.size(p));
            stamp.add(p == null ? -1 : Files.getLastModifiedTime(p).toMillis());
        }
        Opened o = open.get(run.dir());
        if (o == null || !o.stamp.equals(stamp)) {
            o = new Opened(stamp, new Recommender(RecommendRun.open(run.dir())));
            open.put(run.dir(), o);
        }
        return o.recommender;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
