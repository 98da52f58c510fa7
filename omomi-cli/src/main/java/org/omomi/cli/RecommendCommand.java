package org.omomi.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.omomi.io.AtomicFile;
import org.omomi.io.Json;
import org.omomi.train.Checkpoint;
import org.omomi.train.Trainer;
import org.omomi.recommend.Explanation;
import org.omomi.recommend.HalfLife;
import org.omomi.recommend.InteractionFile;
import org.omomi.recommend.Interactions;
import org.omomi.recommend.ItemCatalog;
import org.omomi.recommend.ItemMap;
import org.omomi.recommend.ModelKind;
import org.omomi.recommend.RecommendRun;
import org.omomi.recommend.Recommender;
import org.omomi.recommend.Split;
import org.omomi.recommend.Synthetic;
import org.omomi.recommend.Training;
import org.omomi.recommend.UserVector;
import org.omomi.recommend.Weighting;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code omomi recommend}: the recommendation engine's subcommands (module omomi-recommend). */
@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = {"Recommendations from weighted user-preference vectors: generate data, train MF / BPR / a two-tower model,",
            "recommend with explanations, find similar items, fold in new users, evaluate against popularity, plot item vectors."},
        subcommands = {RecommendCommand.Generate.class, RecommendCommand.Train.class, RecommendCommand.Top.class,
            RecommendCommand.Similar.class, RecommendCommand.Eval.class, RecommendCommand.FoldIn.class, RecommendCommand.Plot.class})
final class RecommendCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    private static Path existing(String file) throws NoSuchFileException {
        Path p = Path.of(file);
        if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(p.toString());
        }
        return p;
    }

    private static Weighting weighting(String name) {
        return name == null || name.equals("trained") ? null : Weighting.parse(name);
    }

    // ------------------------------------------------------------------ generate

    @Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Write interactions generated from planted low-rank factors with a popularity skew and a time order:",
                "FILE (user,item,rating,timestamp), and beside it BASE.items.csv (title, the planted group as genre, the planted",
                "item factors) and BASE.users.csv (the planted user factors)."})
    static final class Generate implements Callable<Integer> {
        @Option(names = "--users", defaultValue = "1000", description = "Users (default: ${DEFAULT-VALUE}).")
        int users;

        @Option(names = "--items", defaultValue = "500", description = "Items (default: ${DEFAULT-VALUE}).")
        int items;

        @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--out", required = true, paramLabel = "FILE.csv", description = "The interactions file to write.")
        Path out;

        @Option(names = "--per-user", defaultValue = "40", description = "Mean interactions per user (default: ${DEFAULT-VALUE}).")
        int perUser;

        @Option(names = "--rank", defaultValue = "8", description = "Dimensions of the planted factors (default: ${DEFAULT-VALUE}).")
        int rank;

        @Option(names = "--groups", defaultValue = "8", description = "Planted item groups (default: ${DEFAULT-VALUE}).")
        int groups;

        @Option(names = "--beta", defaultValue = "3", description = "Taste strength β (default: ${DEFAULT-VALUE}).")
        double beta;

        @Option(names = "--popularity", defaultValue = "0.8", description = "Zipf exponent of the popularity skew (default: ${DEFAULT-VALUE}).")
        double popularity;

        @Option(names = "--drift", defaultValue = "0", description = "Taste drift over each user's history, 0 to 1 (default: ${DEFAULT-VALUE}).")
        double drift;

        @Option(names = "--ratings", description = "Explicit ratings with this noise σ (e.g. 0.5) instead of implicit 1s.")
        Double noise;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Synthetic.Options o = new Synthetic.Options(users, items, seed, rank, groups, perUser, beta, popularity, drift,
                    noise != null, noise == null ? 0 : noise);
            Synthetic.Data d = Synthetic.generate(o);
            List<Path> written = Synthetic.write(d, out);
            PrintWriter pw = spec.commandLine().getOut();
            pw.printf(Locale.ROOT, "wrote %s: %,d interactions of %,d users with %,d items (%s)%n", written.get(0), d.interactions().size(),
                    users, items, noise != null ? String.format(Locale.ROOT, "ratings with noise σ = %.2f", noise) : "implicit");
            pw.println("planted factors: " + written.get(1) + " (items, with the planted group as genre), " + written.get(2) + " (users)");
            pw.flush();
            return 0;
        }
    }

    // ------------------------------------------------------------------ train

    @Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Train a recommender and write a run folder (a saved model, users.csv, items.csv, interactions.csv",
                "with the split, recommend.json, history.jsonl): leave-one-out by time (at random without timestamps),",
                "the one before for validation."})
    static final class Train implements Callable<Integer> {
        @Option(names = "--data", paramLabel = "FILE", description = "Interactions: CSV (user,item[,rating][,timestamp]), "
                + "ml-100k u.data or ml-latest ratings.csv.")
        String data;

        @Option(names = "--format", defaultValue = "auto", description = "csv, ml-100k, ml-latest or auto (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--items", paramLabel = "FILE", description = "Item titles and genres: CSV (item,title,genres), movies.csv or "
                + "u.item (default: BASE.items.csv beside the data when it exists).")
        String items;

        @Option(names = "--model", defaultValue = "bpr", description = "mf (explicit ratings), bpr or ncf (a two-tower model) (default: ${DEFAULT-VALUE}).")
        String model;

        @Option(names = "--out", paramLabel = "RUN_DIR", description = "The run folder to write.")
        Path out;

        @Option(names = "--resume", paramLabel = "RUN_DIR",
                description = "Continue the training in RUN_DIR from its last checkpoint, on its own data and options.")
        Path resume;

        @Option(names = "--dim", description = "Factors per user and item (default 32).")
        Integer dim;

        @Option(names = "--hidden", description = "Hidden width of the two towers (ncf; default 64).")
        Integer hidden;

        @Option(names = "--epochs", description = "Epochs (default: mf 40, bpr 30, ncf 30).")
        Integer epochs;

        @Option(names = "--batch-size", description = "Interactions per step (default: mf 256, bpr and ncf 1024).")
        Integer batchSize;

        @Option(names = "--lr", description = "Learning rate (default: mf 0.005, bpr 0.01, ncf 0.005).")
        Double lr;

        @Option(names = "--l2", description = "λ of the L2 penalty on the embedding rows each example uses (default: mf 0.02, bpr and ncf 1e-4).")
        Double l2;

        @Option(names = "--negatives", description = "Sampled negatives per positive (bpr, ncf; default 1).")
        Integer negatives;

        @Option(names = "--optimizer", description = "adam (SparseAdam on the tables), adagrad or sgd (default adam).")
        String optimizer;

        @Option(names = "--patience", defaultValue = "0", description = "Stop after this many epochs without a better validation loss, "
                + "keeping the best weights; 0 runs every epoch (default: ${DEFAULT-VALUE}).")
        int patience;

        @Option(names = "--no-validation", description = "Train on the validation interactions too (no early stopping, no validation figures).")
        boolean noValidation;

        @Option(names = "--attention", description = "Also learn attention weights for preference vectors (--vector attention).")
        boolean attention;

        @Option(names = "--seed", defaultValue = "1", description = "Seed for weights, order, negatives and split (default: ${DEFAULT-VALUE}).")
        long seed;

        @Spec
        CommandSpec spec;

        @Override
        @SuppressWarnings("unchecked")
        public Integer call() throws Exception {
            Path file;
            InteractionFile.Layout layout;
            Path itemFile;
            boolean itemsGiven;
            Training.Options o;
            boolean learnAttention = attention;
            boolean validation = !noValidation;
            Checkpoint from = null;
            if (resume != null) {
                if (out != null || data != null) {
                    throw new IllegalArgumentException("--resume continues RUN_DIR with its own data and options; drop --out and --data");
                }
                Map<String, Object> start = RecommendRun.readStart(resume);
                Map<String, Object> src = (Map<String, Object>) start.get("source");
                file = Path.of(String.valueOf(src.get("file")));
                layout = InteractionFile.Layout.parse(String.valueOf(src.get("layout")), file);
                itemsGiven = src.get("items_file") != null;
                itemFile = itemsGiven ? existing(String.valueOf(src.get("items_file"))) : null;
                o = Training.Options.fromJson((Map<String, Object>) start.get("options"));
                learnAttention = Boolean.TRUE.equals(start.get("attention"));
                validation = !Boolean.FALSE.equals(start.get("validation"));
                Path last = Trainer.lastCheckpoint(resume);
                from = Files.isRegularFile(last) ? Checkpoint.load(last) : null; // none yet: from the start
                out = resume;
            } else {
                if (data == null || out == null) {
                    throw new IllegalArgumentException("--data FILE and --out RUN_DIR are needed (or --resume RUN_DIR)");
                }
                file = existing(data);
                layout = InteractionFile.Layout.parse(format, file);
                itemFile = items != null ? existing(items) : file.resolveSibling(file.getFileName().toString().replaceFirst("\\.[^.]*$", "") + ".items.csv");
                itemsGiven = items != null || Files.isRegularFile(itemFile);
                ModelKind kind = ModelKind.parse(model);
                o = Training.Options.defaults(kind).withSeed(seed).withPatience(patience);
                o = dim != null ? o.withDim(dim) : o;
                o = hidden != null ? o.withHidden(hidden) : o;
                o = epochs != null ? o.withEpochs(epochs) : o;
                o = batchSize != null ? o.withBatchSize(batchSize) : o;
                o = lr != null ? o.withLr(lr) : o;
                o = l2 != null ? o.withL2(l2) : o;
                o = negatives != null ? o.withNegatives(negatives) : o;
                o = optimizer != null ? o.withOptimizer(optimizer) : o;
            }
            ModelKind kind = o.model();
            Interactions x = InteractionFile.read(file, layout);
            List<Path> files = new ArrayList<>(List.of(file));
            ItemCatalog catalog = ItemCatalog.empty();
            if (itemsGiven) {
                catalog = ItemCatalog.read(itemFile);
                files.add(itemFile);
            }
            Split split = Split.leaveOneOut(x, 1, validation, o.seed());
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("file", file.toAbsolutePath().toString());
            source.put("layout", layout.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            if (catalog.size() > 0 || itemsGiven) {
                source.put("items_file", itemFile.toAbsolutePath().toString());
            }
            if (from == null) {
                RecommendRun.writeStart(out, source, o, learnAttention, validation);
            }
            PrintWriter pw = spec.commandLine().getOut();
            pw.printf(Locale.ROOT, "%s: %,d interactions of %,d users with %,d items (%s, %s)%s%n", file, x.size(), x.userCount(), x.itemCount(),
                    x.explicit() ? "ratings" : "implicit", x.hasTimestamps() ? "with timestamps" : "no timestamps",
                    x.duplicatesDropped() > 0 ? "; " + x.duplicatesDropped() + " repeated (user, item) rows merged into their latest" : "");
            pw.println("split: " + split);
            pw.flush();
            RecommendRun run = RecommendRun.train(x, catalog, split, o, learnAttention, out, files, source, from);
            @SuppressWarnings("unchecked")
            Map<String, Object> tr = (Map<String, Object>) run.info().get("training");
            StringBuilder val = new StringBuilder();
            ((Map<?, ?>) tr.get("validation")).forEach((name, v) -> val.append(val.length() > 0 ? ", " : "")
                    .append(String.format(Locale.ROOT, "%s %.4f", name, ((Number) v).doubleValue())));
            pw.printf(Locale.ROOT, "trained %s (%d factors) for %s epochs in %.1f s (%,.0f interactions/s)%s%n", kind.id(), o.dim(),
                    tr.get("epochs_run"), ((Number) tr.get("seconds")).doubleValue(), ((Number) tr.get("samples_per_second")).doubleValue(),
                    val.length() == 0 ? "" : "; validation " + val);
            pw.println("wrote " + out + " (evaluate it with: omomi recommend eval " + out + ")");
            pw.flush();
            return 0;
        }
    }

    // ------------------------------------------------------------------ top

    @Command(name = "top", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"A user's top-k recommendations (leaving out what they had in training); with --explain, for each one",
                "the past items that contributed most to its score, and the factor dimensions."})
    static final class Top implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run folder written by 'omomi recommend train'.")
        Path run;

        @Option(names = "--user", required = true, description = "The user id.")
        String user;

        @Option(names = "-k", defaultValue = "10", description = "How many (default: ${DEFAULT-VALUE}).")
        int k;

        @Option(names = "--explain", description = "Explain each recommendation by past items and factor dimensions.")
        boolean explain;

        @Option(names = "--vector", defaultValue = "trained",
                description = "trained (the model's user vector), or a weighted preference vector of the user's items: uniform, rating, "
                        + "recency or attention (default: ${DEFAULT-VALUE}).")
        String vector;

        @Option(names = "--half-life", description = "Recency's half-life, e.g. 30d, 12h (default: ten times the median gap between a user's interactions).")
        String halfLife;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Recommender r = new Recommender(RecommendRun.open(run));
            int u = r.user(user);
            UserVector v = r.vector(u, weighting(vector), halfLife == null ? 0 : HalfLife.parse(halfLife));
            PrintWriter pw = spec.commandLine().getOut();
            pw.printf(Locale.ROOT, "user %s: %d training interactions; %s vector of %d factors%n", user, r.history(u).size(), v.source(),
                    r.run().factors().dim());
            printVector(pw, v, explain);
            print(pw, r, r.top(v, k, r.seen(u)), explain);
            pw.flush();
            return 0;
        }
    }

    static void printVector(PrintWriter pw, UserVector v, boolean full) {
        if (v.fallback()) {
            return;
        }
        StringBuilder sb = new StringBuilder("  vector:");
        float[] x = v.vector();
        int show = full ? x.length : Math.min(8, x.length);
        for (int k = 0; k < show; k++) {
            sb.append(String.format(Locale.ROOT, " %+.3f", x[k]));
        }
        if (show < x.length) {
            sb.append(" …");
        }
        pw.println(sb);
    }

    static void print(PrintWriter pw, Recommender r, List<Recommender.Recommendation> recs, boolean explain) {
        int rank = 1;
        for (Recommender.Recommendation rec : recs) {
            if (rec.explanation() == null) { // the popularity fallback ranks by counts
                pw.printf(Locale.ROOT, "%3d. %-40s %,.0f training interactions%n", rank++, r.describe(rec.item()), rec.score());
                continue;
            }
            pw.printf(Locale.ROOT, "%3d. %-40s score %8.4f%n", rank++, r.describe(rec.item()), rec.score());
            Explanation e = rec.explanation();
            if (explain) {
                StringBuilder items = new StringBuilder("       because of: ");
                int[] top = e.topItems(3);
                for (int j = 0; j < top.length; j++) {
                    items.append(j > 0 ? ", " : "").append(r.describe(e.pastItems()[top[j]]))
                            .append(String.format(Locale.ROOT, " %+.4f", e.itemContributions()[top[j]]));
                }
                double rest = java.util.Arrays.stream(e.itemContributions()).sum();
                for (int j : top) {
                    rest -= e.itemContributions()[j];
                }
                items.append(String.format(Locale.ROOT, "; %d others %+.4f; residual %+.4f; biases %+.4f (sum %.4f)",
                        Math.max(0, e.pastItems().length - top.length), rest, e.residual(), e.global() + e.userBias() + e.itemBias(),
                        e.sumByItems()));
                pw.println(items);
                StringBuilder dims = new StringBuilder("       dimensions: ");
                int[] td = e.topDimensions(3);
                for (int j = 0; j < td.length; j++) {
                    dims.append(j > 0 ? ", " : "").append(String.format(Locale.ROOT, "d%d %+.4f", td[j], e.dimensions()[td[j]]));
                }
                pw.println(dims);
            }
        }
    }

    // ------------------------------------------------------------------ similar

    @Command(name = "similar", mixinStandardHelpOptions = true, description = "The items whose vectors are closest to an item's (cosine).")
    static final class Similar implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run folder written by 'omomi recommend train'.")
        Path run;

        @Option(names = "--item", required = true, description = "The item id.")
        String item;

        @Option(names = "-k", defaultValue = "10", description = "How many (default: ${DEFAULT-VALUE}).")
        int k;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Recommender r = new Recommender(RecommendRun.open(run));
            int i = r.item(item);
            PrintWriter pw = spec.commandLine().getOut();
            pw.println("items like " + r.describe(i) + ":");
            int rank = 1;
            for (Recommender.Similar s : r.similar(i, k)) {
                pw.printf(Locale.ROOT, "%3d. %-40s cosine %.4f%n", rank++, r.describe(s.item()), s.cosine());
            }
            pw.flush();
            return 0;
        }
    }

    // ------------------------------------------------------------------ eval

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = {"Evaluate on the run's held-out interactions against the popularity baseline: HR@k and NDCG@k over the full",
                "catalogue (primary) and over 100 sampled negatives, recall@k, coverage, RMSE for ratings; writes RUN_DIR/eval.json."})
    static final class Eval implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run folder written by 'omomi recommend train'.")
        Path run;

        @Option(names = "-k", defaultValue = "10", description = "The cut-off k (default: ${DEFAULT-VALUE}).")
        int k;

        @Option(names = "--seed", defaultValue = "1", description = "Seed of the sampled negatives (default: ${DEFAULT-VALUE}).")
        long seed;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            RecommendRun rr = RecommendRun.open(run);
            Map<String, Double> m = new Recommender(rr).evaluate(k, seed);
            PrintWriter pw = spec.commandLine().getOut();
            pw.printf(Locale.ROOT, "%s (%s) on %,.0f held-out users, %s%n", run, rr.kind().id(), m.get("users"), rr.split().protocol());
            pw.printf(Locale.ROOT, "%-28s %10s %12s%n", "metric", rr.kind().id(), "popularity");
            for (String name : m.keySet()) {
                if (name.startsWith("popularity_") || name.equals("users") || name.equals("mean_rmse")) {
                    continue;
                }
                Double base = name.equals("rmse") ? m.get("mean_rmse") : m.get("popularity_" + name);
                pw.printf(Locale.ROOT, "%-28s %10.4f %12s%n", name + (name.endsWith("_sampled") ? " (100 neg.)" : ""), m.get(name),
                        base == null ? "" : String.format(Locale.ROOT, "%.4f", base));
            }
            if (m.containsKey("rmse")) {
                pw.println("(the baseline's rmse is the training mean predicting every rating)");
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("model", rr.kind().id());
            json.put("protocol", rr.split().protocol());
            json.put("k", (long) k);
            json.put("seed", seed);
            m.forEach((name, v) -> json.put(name, name.equals("users") ? (Object) v.longValue() : v));
            AtomicFile.writeString(run.resolve("eval.json"), Json.write(json) + "\n");
            pw.println("wrote " + run.resolve("eval.json"));
            pw.flush();
            return 0;
        }
    }

    // ------------------------------------------------------------------ fold-in

    @Command(name = "fold-in", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Recommend for new users from their interactions, without retraining: each user's weighted preference vector",
                "(a weighted mean of the vectors of the items they had); with one interaction, the popularity fallback (said so)."})
    static final class FoldIn implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run folder written by 'omomi recommend train'.")
        Path run;

        @Option(names = "--interactions", required = true, paramLabel = "FILE", description = "The new users' interactions (any layout of train).")
        String interactions;

        @Option(names = "--format", defaultValue = "auto", description = "csv, ml-100k, ml-latest or auto (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--weighting", defaultValue = "recency", description = "uniform, rating, recency or attention (default: ${DEFAULT-VALUE}).")
        String weighting;

        @Option(names = "--half-life", description = "Recency's half-life, e.g. 30d (default: the run's, ten times the median gap).")
        String halfLife;

        @Option(names = "-k", defaultValue = "10", description = "Recommendations per user (default: ${DEFAULT-VALUE}).")
        int k;

        @Option(names = "--explain", description = "Explain each recommendation by past items and factor dimensions.")
        boolean explain;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Recommender r = new Recommender(RecommendRun.open(run));
            Path file = existing(interactions);
            List<Recommender.FoldedIn> users = r.foldIn(file, InteractionFile.Layout.parse(format, file), Weighting.parse(weighting),
                    halfLife == null ? 0 : HalfLife.parse(halfLife), k);
            PrintWriter pw = spec.commandLine().getOut();
            for (Recommender.FoldedIn f : users) {
                pw.printf(Locale.ROOT, "user %s: %d interaction%s; %s%n", f.user(), f.vector().items().length,
                        f.vector().items().length == 1 ? "" : "s", f.vector().source());
                printVector(pw, f.vector(), explain);
                print(pw, r, f.recommendations(), explain);
            }
            pw.flush();
            return 0;
        }
    }

    // ------------------------------------------------------------------ plot

    @Command(name = "plot", mixinStandardHelpOptions = true,
            description = "A PNG of the item vectors projected on their first two principal components, coloured by genre (planted group).")
    static final class Plot implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run folder written by 'omomi recommend train'.")
        Path run;

        @Option(names = "--out", paramLabel = "FILE.png", description = "Where to write it (default: RUN_DIR/items-pca.png).")
        Path out;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            RecommendRun rr = RecommendRun.open(run);
            Path target = out != null ? out : run.resolve("items-pca.png");
            ItemMap.Result m = ItemMap.write(rr, target, 900, 640);
            PrintWriter pw = spec.commandLine().getOut();
            pw.printf(Locale.ROOT, "wrote %s: %d items, %d colours (%s); the axes hold %.0f%% and %.0f%% of the variance%n", target,
                    m.coordinates().length, m.groups().size(), String.join(", ", m.groups()), 100 * m.explained()[0],
                    100 * (m.explained().length > 1 ? m.explained()[1] : 0));
            pw.flush();
            return 0;
        }
    }
}
