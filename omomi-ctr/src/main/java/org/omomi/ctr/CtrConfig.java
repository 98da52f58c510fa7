package org.omomi.ctr;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.omomi.train.TrainConfig;

/**
 * Everything a click-model run is made of, typed and checked: the log, the feature processing,
 * the split and imbalance handling, the model, the optimization and the loop. Its JSON is the run
 * folder's {@code ctr.json} (format {@value #FORMAT}), which {@code --resume} and explanations
 * read back.
 *
 * @param log        the click log
 * @param features   the feature processing's choices
 * @param split      held-out fraction, negative down-sampling rate, and the seed they are drawn from
 * @param holdoutMax the most held-out rows kept in memory
 * @param shuffleBlock rows per shuffle block of the stream
 * @param model      the model and its sizes
 * @param posWeight  the weight of a click in the loss (1: none)
 * @param optim      sgd (lr's default, with L1 as a proximal step) or adam (fm's and deepfm's,
 *                   as SparseAdam on the tables); l1, l2 on the first-order weights, l2 also on
 *                   the field vectors and the MLP's weights; schedule none (a constant rate, the default)
 *                   or cosine (from lr down to 0 at the last step of the last epoch, stepped every batch)
 * @param loop       epochs, batch size, seed, checkpoints
 * @param patience   epochs without a better held-out log-loss before stopping (the best
 *                   epoch's weights are kept); 0 turns early stopping off
 */
public record CtrConfig(ClickLog log, FeatureOptions features, Split split, int holdoutMax, int shuffleBlock, Model model,
                        double posWeight, TrainConfig.Optim optim, TrainConfig.Loop loop, int patience) {

    public static final String FORMAT = "omomi.ctr.train/1";

    /**
     * The model: its kind, the field vectors' size k (fm, deepfm), the MLP's hidden widths and
     * dropout (deepfm), and starting first-order weights of named numeric features.
     */
    public record Model(ModelKind kind, int dim, List<Integer> hidden, double dropout, Map<String, Double> startWeights) {
        public Model {
            hidden = List.copyOf(hidden);
            startWeights = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(startWeights));
            if (dim < 1) {
                throw new IllegalArgumentException("--dim must be at least 1, got " + dim);
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("--dropout must be in [0, 1), got " + dropout);
            }
        }
    }

    /** The article's starting weights: age 0.1, interest match 0.9, ad frequency 0.4. */
    public static final Map<String, Double> ARTICLE_START = articleStart();

    private static Map<String, Double> articleStart() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("age", 0.1);
        m.put("interest_match", 0.9);
        m.put("ad_frequency", 0.4);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Default field-vector size k. */
    public static final int DIM = 8;
    /** DeepFM's default hidden layers: DeepCTR's default MLP. */
    public static final List<Integer> HIDDEN = List.of(256, 128, 64);

    public CtrConfig {
        if (holdoutMax < 1 || shuffleBlock < 1) {
            throw new IllegalArgumentException("--holdout-max and --shuffle-block must be positive");
        }
        if (!(posWeight > 0) || Double.isInfinite(posWeight)) {
            throw new IllegalArgumentException("--pos-weight must be a positive number, got " + posWeight);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("--patience must be ≥ 0, got " + patience);
        }
        if (!List.of("sgd", "adam").contains(optim.optimizer())) {
            throw new IllegalArgumentException("click models train with sgd or adam, not " + optim.optimizer());
        }
        if (!List.of("none", "cosine").contains(optim.schedule())) {
            throw new IllegalArgumentException("click models train with --schedule none (a constant rate) or cosine, not " + optim.schedule());
        }
        if (optim.l1() > 0 && !optim.optimizer().equals("sgd")) {
            throw new IllegalArgumentException("--l1 is a proximal step of plain SGD; use --optimizer sgd with it");
        }
        if (optim.weightDecay() != 0) {
            throw new IllegalArgumentException("click models take --l2, not a weight decay");
        }
    }

    /** The defaults for a log and a model kind. */
    public static CtrConfig defaults(ClickLog log, ModelKind kind) {
        boolean lr = kind == ModelKind.LR;
        return new CtrConfig(log, FeatureOptions.defaults(log.format()), new Split(1, 0.1, 1), HeldOut.MAX_ROWS, ClickStream.DEFAULT_BLOCK,
                new Model(kind, DIM, HIDDEN, 0, ARTICLE_START), 1,
                new TrainConfig.Optim(lr ? "sgd" : "adam", lr ? 1.0 : kind == ModelKind.FM ? 0.01 : 0.005, null, 0, 0, 0, "none"),
                new TrainConfig.Loop(10, 1024, 1, true, false, 0, 0), 2);
    }

    public CtrConfig withLog(ClickLog l) {
        return new CtrConfig(l, features, split, holdoutMax, shuffleBlock, model, posWeight, optim, loop, patience);
    }

    public CtrConfig withFeatures(FeatureOptions f) {
        return new CtrConfig(log, f, split, holdoutMax, shuffleBlock, model, posWeight, optim, loop, patience);
    }

    public CtrConfig withSplit(Split s) {
        return new CtrConfig(log, features, s, holdoutMax, shuffleBlock, model, posWeight, optim, loop, patience);
    }

    public CtrConfig withModel(Model m) {
        return new CtrConfig(log, features, split, holdoutMax, shuffleBlock, m, posWeight, optim, loop, patience);
    }

    public CtrConfig withOptim(TrainConfig.Optim o) {
        return new CtrConfig(log, features, split, holdoutMax, shuffleBlock, model, posWeight, o, loop, patience);
    }

    public CtrConfig withLoop(TrainConfig.Loop l) {
        return new CtrConfig(log, features, split.seed() == l.seed() ? split : new Split(l.seed(), split.holdout(), split.negativeRate()),
                holdoutMax, shuffleBlock, model, posWeight, optim, l, patience);
    }

    public CtrConfig withPosWeight(double w) {
        return new CtrConfig(log, features, split, holdoutMax, shuffleBlock, model, w, optim, loop, patience);
    }

    public CtrConfig withPatience(int p) {
        return new CtrConfig(log, features, split, holdoutMax, shuffleBlock, model, posWeight, optim, loop, p);
    }

    public CtrConfig withShuffleBlock(int rows) {
        return new CtrConfig(log, features, split, holdoutMax, rows, model, posWeight, optim, loop, patience);
    }

    public CtrConfig withHoldoutMax(int rows) {
        return new CtrConfig(log, features, split, rows, shuffleBlock, model, posWeight, optim, loop, patience);
    }

    // ------------------------------------------------------------------ JSON

    public Map<String, Object> toJson() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("format", FORMAT);
        c.put("data", log.file().toAbsolutePath().toString());
        c.put("log_format", log.format().label());
        c.put("label", log.label());
        c.put("ignore", new ArrayList<Object>(new TreeSet<>(log.ignored())));
        c.put("skip_bad_rows", log.skipBadRows());
        c.put("hash_buckets", (long) features.hashBuckets());
        c.put("min_count", (long) features.minCount());
        c.put("criteo_integers", features.criteoIntegers().label());
        c.put("categorical", new ArrayList<Object>(new TreeSet<>(features.categorical())));
        c.put("max_distinct", (long) features.maxDistinct());
        c.put("holdout", split.holdout());
        c.put("holdout_max", (long) holdoutMax);
        c.put("negative_rate", split.negativeRate());
        c.put("pos_weight", posWeight);
        c.put("shuffle_block", (long) shuffleBlock);
        c.put("model", model.kind().label());
        c.put("dim", (long) model.dim());
        List<Object> h = new ArrayList<>();
        model.hidden().forEach(v -> h.add((long) v));
        c.put("hidden", h);
        c.put("dropout", model.dropout());
        c.put("start_weights", new LinkedHashMap<String, Object>(model.startWeights()));
        c.put("optimizer", optim.optimizer());
        c.put("lr", optim.lr());
        c.put("l1", optim.l1());
        c.put("l2", optim.l2());
        c.put("schedule", optim.schedule());
        c.put("epochs", (long) loop.epochs());
        c.put("batch_size", (long) loop.batchSize());
        c.put("seed", loop.seed());
        c.put("checkpoint_every", (long) loop.checkpointEvery());
        c.put("patience", (long) patience);
        return c;
    }

    @SuppressWarnings("unchecked")
    public static CtrConfig fromJson(Map<String, Object> c) {
        if (!FORMAT.equals(c.get("format"))) {
            throw new IllegalArgumentException("not an " + FORMAT + " configuration (format " + c.get("format") + ")");
        }
        try {
            ClickLog log = new ClickLog(Path.of((String) c.get("data")), LogFormat.named((String) c.get("log_format")),
                    (String) c.get("label"), Set.copyOf(strings(c.get("ignore"))), Boolean.TRUE.equals(c.get("skip_bad_rows")));
            FeatureOptions f = new FeatureOptions(num(c, "hash_buckets"), num(c, "min_count"),
                    ClickFeatures.Transform.named((String) c.get("criteo_integers")), Set.copyOf(strings(c.get("categorical"))),
                    num(c, "max_distinct"));
            long seed = ((Number) c.get("seed")).longValue();
            Split split = new Split(seed, (Double) c.get("holdout"), (Double) c.get("negative_rate"));
            List<Integer> hidden = new ArrayList<>();
            ((List<Object>) c.get("hidden")).forEach(v -> hidden.add(((Number) v).intValue()));
            Map<String, Double> start = new LinkedHashMap<>();
            ((Map<String, Object>) c.get("start_weights")).forEach((k, v) -> start.put(k, ((Number) v).doubleValue()));
            Model model = new Model(ModelKind.named((String) c.get("model")), num(c, "dim"), hidden, (Double) c.get("dropout"), start);
            TrainConfig.Optim optim = new TrainConfig.Optim((String) c.get("optimizer"), (Double) c.get("lr"), null, 0,
                    (Double) c.get("l1"), (Double) c.get("l2"), c.get("schedule") == null ? "none" : (String) c.get("schedule"));
            TrainConfig.Loop loop = new TrainConfig.Loop(num(c, "epochs"), num(c, "batch_size"), seed, true, false,
                    num(c, "checkpoint_every"), 0);
            return new CtrConfig(log, f, split, num(c, "holdout_max"), num(c, "shuffle_block"), model, (Double) c.get("pos_weight"),
                    optim, loop, num(c, "patience"));
        } catch (ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException(FORMAT + " configuration is missing a field or has one of the wrong kind");
        }
    }

    private static int num(Map<String, Object> c, String key) {
        return ((Number) c.get(key)).intValue();
    }

    private static List<String> strings(Object o) {
        return ((List<?>) o).stream().map(String::valueOf).toList();
    }
}
