package org.omomi.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.omomi.nn.ModelSpec;

/**
 * Everything a training run is asked to do, typed and validated once: the data and its splits,
 * the model, the optimization and the loop. {@code omomi train} builds it from its options, the
 * applications and Spark's main class from theirs, and a run folder keeps it as
 * {@code config.json} ({@link #toJson()}, format {@value #FORMAT}) so that {@code --resume},
 * {@code eval} and the dashboard read back exactly what was trained. Errors name the option.
 *
 * @param data  where the examples come from and how they are split and scaled
 * @param model which network
 * @param optim how its weights are updated
 * @param loop  how long, in what batches, from which seed, with which checkpoints
 */
public record TrainConfig(Data data, Model model, Optim optim, Loop loop) {

    /** The format of {@code config.json}. */
    public static final String FORMAT = "omomi.train/1";

    /**
     * The data. {@code source} is {@code fashion-mnist} or a CSV file's absolute path; a CSV needs
     * {@code target}. {@code task} is classification, regression or null (inferred); {@code scale}
     * standard or none; {@code categorical} names CSV columns to treat as categories;
     * {@code categoricalEncoding} one_hot or index (ids for an embedding); {@code hashBuckets} > 0
     * hashes categories into that many ids instead of a vocabulary.
     */
    public record Data(String source, String dataDir, String target, String test, String task, double valSplit,
                       double testSplit, String scale, List<String> categorical, String categoricalEncoding,
                       int hashBuckets) {
        public Data {
            categorical = List.copyOf(categorical);
            require(source != null && !source.isBlank(), "--data fashion-mnist|FILE.csv is needed");
            require(valSplit >= 0 && valSplit < 1, "--val-split must be in [0, 1), got " + valSplit);
            require(testSplit >= 0 && testSplit < 1, "--test-split must be in [0, 1), got " + testSplit);
            require(scale.equals("none") || scale.equals("standard"), "--scale must be none or standard, got " + scale);
            require(task == null || task.equals("classification") || task.equals("regression"),
                    "--task must be classification or regression, got " + task);
            require(categoricalEncoding.equals("one_hot") || categoricalEncoding.equals("index"),
                    "--categorical-encoding must be one_hot or index, got " + categoricalEncoding);
            require(hashBuckets >= 0, "--hash-buckets must be ≥ 0, got " + hashBuckets);
        }

        /** Whether the data is Fashion-MNIST (else a CSV file). */
        public boolean isFashionMnist() {
            return source.equals("fashion-mnist");
        }
    }

    /**
     * The network: {@code name} is logreg, mlp, cnn, resnet, plain or a model.json file's absolute
     * path; {@code hidden} and {@code activation} shape the MLP, {@code depth} and {@code width} the
     * ResNet; {@code loss} (ce, bce, mse, l1, huber, or null for the task's default);
     * {@code initWeights}, a safetensors file to start from, or null.
     */
    public record Model(String name, List<Integer> hidden, String activation, int depth, int width, String loss,
                        String initWeights) {
        static final List<String> BUILT_IN = List.of("logreg", "mlp", "cnn", "resnet", "plain");

        public Model {
            hidden = List.copyOf(hidden);
            require(BUILT_IN.contains(name) || name.endsWith(".json"),
                    "unknown model '" + name + "'; built in: logreg, mlp, cnn, resnet, plain; or give a model.json file");
            require(width >= 1 && width <= 1024, "--width must be between 1 and 1024, got " + width);
            require(loss == null || List.of("ce", "bce", "mse", "l1", "huber").contains(loss),
                    "--loss must be ce, bce, mse, l1 or huber, got " + loss);
            for (int h : hidden) {
                require(h >= 1, "--hidden widths must be positive, got " + h);
            }
        }
    }

    /**
     * The optimization: {@code optimizer} sgd, momentum, adam or adamw; {@code lr} η;
     * {@code momentum} (SGD's, or Adam's β₁; null for the optimizer's default); coupled or
     * decoupled {@code weightDecay}; {@code l1}, {@code l2} penalties on every dense weight;
     * {@code schedule} cosine, none or onecycle; {@code solver} auto (full-batch L-BFGS for a
     * logistic or linear regression of a table, mini-batches otherwise), lbfgs or minibatch.
     */
    public record Optim(String optimizer, double lr, Double momentum, double weightDecay, double l1, double l2,
                        String schedule, String solver) {
        public Optim(String optimizer, double lr, Double momentum, double weightDecay, double l1, double l2, String schedule) {
            this(optimizer, lr, momentum, weightDecay, l1, l2, schedule, "minibatch");
        }

        public Optim {
            require(List.of("auto", "lbfgs", "minibatch").contains(solver), "--solver must be auto, lbfgs or minibatch, got " + solver);
            require(List.of("sgd", "momentum", "adam", "adamw").contains(optimizer),
                    "--optimizer must be sgd, momentum, adam or adamw, got " + optimizer);
            require(lr > 0 && Double.isFinite(lr), "--lr must be a positive number, got " + lr);
            require(weightDecay >= 0 && l1 >= 0 && l2 >= 0, "--weight-decay, --l1 and --l2 must be ≥ 0");
            require(List.of("none", "cosine", "onecycle").contains(schedule),
                    "--schedule must be none, cosine or onecycle, got " + schedule);
        }
    }

    /**
     * The loop: {@code epochs} (with {@code autoEpochs}, the most epochs, chosen from the data, that
     * early stopping may cut short), {@code batchSize}, {@code seed} (weights, shuffling, dropout),
     * {@code shuffle}, image {@code augment}ation, the checkpoint and step-log intervals in
     * optimizer steps (0: off), and the early-stopping {@code patience} in epochs (0: off).
     */
    public record Loop(int epochs, boolean autoEpochs, int batchSize, long seed, boolean shuffle, boolean augment,
                       int checkpointEvery, int logEvery, int patience) {
        public Loop(int epochs, int batchSize, long seed, boolean shuffle, boolean augment, int checkpointEvery, int logEvery) {
            this(epochs, false, batchSize, seed, shuffle, augment, checkpointEvery, logEvery, 0);
        }

        /** This loop with another number of epochs. */
        public Loop withEpochs(int n) {
            return new Loop(n, autoEpochs, batchSize, seed, shuffle, augment, checkpointEvery, logEvery, patience);
        }

        public Loop {
            require(patience >= 0, "--patience must be ≥ 0, got " + patience);
            require(epochs >= 1, "--epochs must be at least 1, got " + epochs);
            require(batchSize >= 1, "--batch-size must be at least 1, got " + batchSize);
            require(checkpointEvery >= 0 && logEvery >= 0, "--checkpoint-every and --log-every must be ≥ 0");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    // ------------------------------------------------------------------ JSON (config.json)

    /** The JSON form: one flat object with the option names of {@code omomi train} in snake case. */
    public Map<String, Object> toJson() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("format", FORMAT);
        c.put("model", model.name());
        List<Object> h = new ArrayList<>();
        model.hidden().forEach(v -> h.add((long) v));
        c.put("hidden", h);
        c.put("activation", model.activation());
        c.put("depth", (long) model.depth());
        c.put("width", (long) model.width());
        c.put("augment", loop.augment());
        c.put("data", data.source());
        c.put("data_dir", data.dataDir());
        c.put("target", data.target());
        c.put("test", data.test());
        c.put("task", data.task());
        c.put("loss", model.loss());
        c.put("epochs", (long) loop.epochs());
        c.put("epochs_auto", loop.autoEpochs());
        c.put("batch_size", (long) loop.batchSize());
        c.put("optimizer", optim.optimizer());
        c.put("schedule", optim.schedule());
        c.put("solver", optim.solver());
        c.put("lr", optim.lr());
        c.put("momentum", optim.momentum());
        c.put("weight_decay", optim.weightDecay());
        c.put("l1", optim.l1());
        c.put("l2", optim.l2());
        c.put("seed", loop.seed());
        c.put("shuffle", loop.shuffle());
        c.put("val_split", data.valSplit());
        c.put("test_split", data.testSplit());
        c.put("scale", data.scale());
        c.put("categorical", new ArrayList<Object>(data.categorical()));
        c.put("categorical_encoding", data.categoricalEncoding());
        c.put("hash_buckets", (long) data.hashBuckets());
        c.put("init_weights", model.initWeights());
        c.put("checkpoint_every", (long) loop.checkpointEvery());
        c.put("log_every", (long) loop.logEvery());
        c.put("patience", (long) loop.patience());
        return c;
    }

    /**
     * Reads {@link #toJson()}'s form. Keys that configurations of earlier versions lack take the
     * value those versions used: no schedule (a constant rate), the ResNet width of
     * {@link ModelSpec#RESNET_WIDTH}, one-hot categories, no hashing, mini-batches for a fixed
     * number of epochs, no early stopping.
     */
    public static TrainConfig fromJson(Map<String, Object> c) {
        if (!FORMAT.equals(c.get("format"))) {
            throw new IllegalArgumentException("not an " + FORMAT + " configuration (format " + c.get("format") + ")");
        }
        Function<String, String> str = k -> c.get(k) == null ? null : String.valueOf(c.get(k));
        List<Integer> hidden = new ArrayList<>();
        if (c.get("hidden") instanceof List<?> l) {
            l.forEach(v -> hidden.add(((Number) v).intValue()));
        }
        List<String> categorical = new ArrayList<>();
        if (c.get("categorical") instanceof List<?> l) {
            l.forEach(v -> categorical.add(String.valueOf(v)));
        }
        Data data = new Data(str.apply("data"), str.apply("data_dir"), str.apply("target"), str.apply("test"),
                str.apply("task"), num(c, "val_split", 0.1), num(c, "test_split", 0.2), orDefault(str.apply("scale"), "none"),
                categorical, orDefault(str.apply("categorical_encoding"), "one_hot"), (int) num(c, "hash_buckets", 0));
        Model model = new Model(orDefault(str.apply("model"), "mlp"), hidden, orDefault(str.apply("activation"), "relu"),
                (int) num(c, "depth", 8), (int) num(c, "width", ModelSpec.RESNET_WIDTH), str.apply("loss"), str.apply("init_weights"));
        Optim optim = new Optim(orDefault(str.apply("optimizer"), "adam"), num(c, "lr", 1e-3),
                c.get("momentum") == null ? null : num(c, "momentum", 0), num(c, "weight_decay", 0), num(c, "l1", 0), num(c, "l2", 0),
                orDefault(str.apply("schedule"), "none").toLowerCase(Locale.ROOT), orDefault(str.apply("solver"), "minibatch"));
        Loop loop = new Loop((int) num(c, "epochs", 10), Boolean.TRUE.equals(c.get("epochs_auto")), (int) num(c, "batch_size", 128),
                (long) num(c, "seed", 1),
                !Boolean.FALSE.equals(c.get("shuffle")), Boolean.TRUE.equals(c.get("augment")),
                (int) num(c, "checkpoint_every", 0), (int) num(c, "log_every", 0), (int) num(c, "patience", 0));
        return new TrainConfig(data, model, optim, loop);
    }

    private static double num(Map<String, Object> c, String key, double fallback) {
        Object v = c.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("configuration: '" + key + "' must be a number, got " + v);
        }
        return n.doubleValue();
    }

    private static String orDefault(String v, String fallback) {
        return v == null ? fallback : v;
    }

    /** This configuration with another loop (a resumed run's, say). */
    public TrainConfig withLoop(Loop l) {
        return new TrainConfig(data, model, optim, l);
    }
}
