package org.omomi.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.omomi.ctr.ClickLog;
import org.omomi.ctr.CtrConfig;
import org.omomi.ctr.CtrRun;
import org.omomi.ctr.LogFormat;
import org.omomi.ctr.ModelKind;
import org.omomi.ctr.Progress;
import org.omomi.io.AtomicFile;
import org.omomi.io.Json;
import org.omomi.io.SavedModel;
import org.omomi.kernel.Parallel;
import org.omomi.nn.Module;
import org.omomi.optim.Optimizer;
import org.omomi.train.Callback;
import org.omomi.train.Checkpoint;
import org.omomi.train.Objective;
import org.omomi.train.RunSetup;
import org.omomi.train.TrainConfig;
import org.omomi.train.Trainer;

/**
 * The {@code spark-submit} main class: {@code omomi train} and {@code omomi ctr train} on a
 * cluster. The training flags are those commands' own, read into the same option records
 * ({@link TrainConfig}, {@link CtrConfig}: flag {@code --batch-size} is config key
 * {@code batch_size}), and the run folder written is theirs, so {@code omomi inspect},
 * {@code serve} and {@code explain} read it.
 *
 * <pre>
 * spark-submit --class org.omomi.spark.SparkTrain omomi-spark.jar train --data fashion-mnist --model mlp --out RUN_DIR [flags]
 * spark-submit --class org.omomi.spark.SparkTrain omomi-spark.jar ctr --data LOG.tsv --model lr|fm|deepfm --out RUN_DIR [flags]
 *
 *   --mode sync|average     synchronous gradient sums (default) or parameter averaging
 *   --local-steps K         averaging: local steps per round (default 8)
 *   --partitions P          training partitions (default: the context's default parallelism)
 *   --depth D               treeAggregate's depth (default 2)
 *   --checkpoint-dir URI    a Hadoop-compatible folder that keeps the checkpoints (hdfs://, s3a://, file:)
 *   --resume RUN_DIR        continue a run from its checkpoint (restored from --checkpoint-dir when the folder has none)
 *   --data-uri URI          ctr: the log as the executors read it (default: --data as a file: URI)
 *   --master URL            when not launched by spark-submit (default local[*])
 * </pre>
 *
 * The driver reads CSV and Fashion-MNIST itself ({@code RunSetup}, as {@code omomi train}) and
 * broadcasts the rows once; a click log's feature processing and held-out rows are learned and read
 * by the driver in one streaming pass ({@code omomi ctr train}'s), its training rows read and
 * encoded by the executors. Errors are one line and exit status 2.
 */
public final class SparkTrain {

    private SparkTrain() {}

    public static void main(String[] args) {
        try {
            System.exit(run(args, System.out));
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("omomi-spark: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Runs one command; returns the exit status. */
    static int run(String[] args, PrintStream out) throws IOException {
        if (args.length == 0 || !(args[0].equals("train") || args[0].equals("ctr"))) {
            throw new IllegalArgumentException("usage: SparkTrain train|ctr --data … --out RUN_DIR [flags]; see docs/spark.md");
        }
        SparkConf conf = new SparkConf().setAppName("omomi " + args[0]);
        if (!conf.contains("spark.master")) {
            conf.setMaster(flags(args).getOrDefault("master", "local[*]"));
        }
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            return run(sc, args, out);
        }
    }

    /** Runs one command on a running context. */
    static int run(JavaSparkContext sc, String[] args, PrintStream out) throws IOException {
        if (args.length == 0 || !(args[0].equals("train") || args[0].equals("ctr"))) {
            throw new IllegalArgumentException("usage: SparkTrain train|ctr --data … --out RUN_DIR [flags]; see docs/spark.md");
        }
        Map<String, String> flags = flags(args);
        String modeName = flags.getOrDefault("mode", "sync");
        SparkSteps.Options mode = switch (modeName) {
            case "sync" -> SparkSteps.Options.sync();
            case "average" -> SparkSteps.Options.averaging(Integer.parseInt(flags.getOrDefault("local-steps", "8")));
            default -> throw new IllegalArgumentException("--mode must be sync or average, got " + modeName);
        };
        mode = new SparkSteps.Options(mode.mode(), mode.localSteps(), Integer.parseInt(flags.getOrDefault("depth", "2")));
        int partitions = Integer.parseInt(flags.getOrDefault("partitions", "" + sc.defaultParallelism()));
        return args[0].equals("ctr") ? ctr(sc, flags, partitions, mode, out) : train(sc, flags, partitions, mode, out);
    }

    /** {@code --name value} and bare {@code --name} (true) after the command. */
    static Map<String, String> flags(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + args[i] + "' (flags are --name value)");
            }
            String name = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                m.put(name, args[++i]);
            } else {
                m.put(name, "true");
            }
        }
        return m;
    }

    private static final List<String> OURS = List.of("mode", "local-steps", "partitions", "depth", "checkpoint-dir", "resume", "out",
            "data-uri", "master");

    /** The flags that are configuration keys, as a JSON object's entries of the kinds the defaults have. */
    static Map<String, Object> overrides(Map<String, String> flags, Map<String, Object> defaults, Map<String, String> aliases) {
        Map<String, Object> c = new LinkedHashMap<>();
        flags.forEach((name, value) -> {
            if (OURS.contains(name)) {
                return;
            }
            if (name.equals("no-shuffle")) {
                c.put("shuffle", false);
                return;
            }
            String key = aliases.getOrDefault(name, name.replace('-', '_'));
            Object kind = defaults.get(key);
            if (!defaults.containsKey(key)) {
                throw new IllegalArgumentException("unknown flag --" + name);
            }
            if (kind instanceof Number) {
                try {
                    c.put(key, Double.parseDouble(value));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--" + name + " must be a number, got '" + value + "'");
                }
            } else if (kind instanceof Boolean) {
                c.put(key, Boolean.parseBoolean(value));
            } else if (kind instanceof List<?> l) {
                List<Object> items = new ArrayList<>();
                for (String v : value.split(",")) {
                    items.add(key.equals("hidden") ? (Object) Double.parseDouble(v.trim()) : v.trim());
                }
                c.put(key, items);
            } else {
                c.put(key, value);
            }
        });
        return c;
    }

    // ------------------------------------------------------------------ omomi train

    private static int train(JavaSparkContext sc, Map<String, String> flags, int partitions, SparkSteps.Options mode, PrintStream out)
            throws IOException {
        Path runDir;
        TrainConfig config;
        Checkpoint from = null;
        if (flags.containsKey("resume")) {
            runDir = Path.of(flags.get("resume"));
            restore(sc, flags, runDir);
            config = TrainConfig.fromJson(readJson(runDir.resolve("config.json")));
            from = Checkpoint.load(Trainer.lastCheckpoint(runDir));
        } else {
            runDir = requireOut(flags);
            Map<String, Object> json = defaultTrainConfig().toJson();
            json.putAll(overrides(flags, json, Map.of()));
            Object data = json.get("data");
            if (data == null) {
                throw new IllegalArgumentException("--data fashion-mnist|FILE.csv is needed");
            }
            if (!data.equals("fashion-mnist")) {
                json.put("data", Path.of((String) data).toAbsolutePath().toString());
            }
            config = TrainConfig.fromJson(json);
        }
        RunSetup setup = RunSetup.build(config);
        config = setup.config();
        if (from == null) {
            Files.createDirectories(runDir);
            AtomicFile.writeString(runDir.resolve("config.json"), Json.write(config.toJson()) + "\n");
            SavedModel.writeDescription(runDir, setup.spec(), setup.head(), setup.classes(), setup.preprocessing(), setup.provenance());
        }
        TrainConfig.Loop loop = config.loop();
        Trainer.Options options = new Trainer.Options(loop.epochs(), loop.batchSize(), loop.shuffle(), loop.seed(), loop.checkpointEvery(),
                loop.logEvery(), 0, false);
        Trainer trainer = new Trainer(setup.model(), setup.head(), setup.optimizer(), setup.schedule(), options, runDir);
        if (config.optim().schedule().equals("onecycle")) {
            trainer.schedulePerStep();
        }
        hadoop(sc, flags, loop.checkpointEvery()).forEach(trainer::addCallback);
        Recipe recipe = new TrainRecipe(Json.write(setup.spec().toJson()), loop.seed(), Json.write(setup.head().toJson(List.of())),
                Json.write(config.toJson()));
        Columns.Partitioned rows = Columns.partitions(sc, setup.train(), partitions);
        Trainer.Result r;
        long t0 = System.nanoTime();
        try (SparkSteps steps = SparkSteps.of(rows.rdd(), rows.encoder(), recipe, options, mode)) {
            r = trainer.fit(steps, setup.val(), from);
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("format", "omomi.metrics/1");
        if (setup.test() != null) {
            Trainer.evaluate(setup.model(), setup.head(), setup.test()).forEach((k, v) -> metrics.put("test_" + k, v));
        }
        r.train().forEach((k, v) -> metrics.put("train_" + k, v));
        r.val().forEach((k, v) -> metrics.put("val_" + k, v));
        metrics.put("solver", "minibatch");
        metrics.put("epochs", (long) r.epochs());
        metrics.put("steps", r.steps());
        metrics.put("train_samples_per_second", r.samplesPerSecond());
        metrics.put("wall_time_s", (System.nanoTime() - t0) / 1e9);
        metrics.put("threads", (long) Parallel.threads());
        metrics.put("spark_mode", mode.mode().name().toLowerCase(Locale.ROOT));
        metrics.put("spark_partitions", (long) partitions);
        setup.saved().save(runDir);
        AtomicFile.writeString(runDir.resolve("metrics.json"), Json.writeStandard(metrics) + "\n");
        out.printf(Locale.ROOT, "trained %s on %s with Spark (%s, %d partitions): %d epochs, %d steps, %.0f samples/s → %s%n",
                setup.spec().name(), config.data().source(), metrics.get("spark_mode"), partitions, r.epochs(), r.steps(),
                r.samplesPerSecond(), runDir);
        return 0;
    }

    /** {@code omomi train}'s defaults. */
    static TrainConfig defaultTrainConfig() {
        return new TrainConfig(
                new TrainConfig.Data("fashion-mnist", null, null, null, null, 0.1, 0.2, "standard", List.of(), "one_hot", 0),
                new TrainConfig.Model("mlp", List.of(512, 256), "relu", 8, org.omomi.nn.ModelSpec.RESNET_WIDTH, null, null),
                new TrainConfig.Optim("adam", 1e-3, null, 0, 0, 0, "cosine", "minibatch"),
                new TrainConfig.Loop(10, false, 128, 1, true, false, 0, 0, 0));
    }

    /** An {@code omomi train} model on the executors: the spec, its head, and the configuration's optimizer with its penalties. */
    record TrainRecipe(String specJson, long seed, String headJson, String configJson) implements Recipe {
        @Override
        public Module model() {
            return spec().build(new org.omomi.tensor.Rng(seed).split());
        }

        @SuppressWarnings("unchecked")
        private org.omomi.nn.ModelSpec spec() {
            return org.omomi.nn.ModelSpec.fromJson((Map<String, Object>) Json.parse(specJson));
        }

        @Override
        @SuppressWarnings("unchecked")
        public Objective objective(Module model) {
            return org.omomi.train.Head.fromJson((Map<String, Object>) Json.parse(headJson));
        }

        @Override
        @SuppressWarnings("unchecked")
        public Optimizer optimizer(Module model) {
            return RunSetup.optimizerFor(TrainConfig.fromJson((Map<String, Object>) Json.parse(configJson)).optim(), model);
        }
    }

    // ------------------------------------------------------------------ omomi ctr train

    private static int ctr(JavaSparkContext sc, Map<String, String> flags, int partitions, SparkSteps.Options mode, PrintStream out)
            throws IOException {
        CtrRun.Result r;
        if (flags.containsKey("resume")) {
            Path runDir = Path.of(flags.get("resume"));
            restore(sc, flags, runDir);
            CtrConfig c = CtrRun.readConfig(runDir);
            String uri = flags.getOrDefault("data-uri", c.log().file().toUri().toString());
            r = CtrRun.resume(runDir, Progress.NONE, ClickPartitions.steps(sc, uri, partitions, mode),
                    hadoop(sc, flags, c.loop().checkpointEvery()));
        } else {
            Path runDir = requireOut(flags);
            String data = flags.get("data");
            if (data == null) {
                throw new IllegalArgumentException("--data LOG is needed (a click log the driver can read)");
            }
            LogFormat format = LogFormat.named(flags.getOrDefault("format", "criteo"));
            ModelKind kind = ModelKind.named(flags.getOrDefault("model", "lr"));
            ClickLog log = ClickLog.of(Path.of(data).toAbsolutePath(), format);
            Map<String, Object> json = CtrConfig.defaults(log, kind).toJson();
            Map<String, Object> given = new LinkedHashMap<>(flags);
            given.remove("data");
            given.remove("format");
            given.remove("model");
            Map<String, String> rest = new LinkedHashMap<>();
            given.forEach((k, v) -> rest.put(k, (String) v));
            json.putAll(overrides(rest, json, Map.of()));
            CtrConfig c = CtrConfig.fromJson(json);
            String uri = flags.getOrDefault("data-uri", c.log().file().toUri().toString());
            r = CtrRun.train(c, runDir, Progress.NONE, ClickPartitions.steps(sc, uri, partitions, mode),
                    hadoop(sc, flags, c.loop().checkpointEvery()));
        }
        out.printf(Locale.ROOT, "trained %s on %s with Spark (%s, %d partitions): held-out AUC %.4f, log-loss %.4f, %d steps → %s%n",
                r.config().model().kind().label(), r.config().log().file(), mode.mode().name().toLowerCase(Locale.ROOT), partitions,
                r.metric("auc"), r.metric("logloss"), r.training().steps(), r.runDir());
        return 0;
    }

    // ------------------------------------------------------------------ shared

    private static Path requireOut(Map<String, String> flags) throws IOException {
        if (!flags.containsKey("out")) {
            throw new IllegalArgumentException("--out RUN_DIR is needed (or --resume RUN_DIR)");
        }
        Path runDir = Path.of(flags.get("out"));
        boolean empty = true;
        if (Files.isDirectory(runDir)) {
            try (var list = Files.list(runDir)) {
                empty = list.findAny().isEmpty();
            }
        }
        if (Files.exists(runDir) && (!Files.isDirectory(runDir) || !empty)) {
            throw new IllegalArgumentException(runDir + " already exists and is not an empty folder; choose another --out, or --resume it");
        }
        return runDir;
    }

    private static List<Callback> hadoop(JavaSparkContext sc, Map<String, String> flags, int every) {
        String dir = flags.get("checkpoint-dir");
        return dir == null ? List.of() : List.of(new HadoopCheckpoints(dir, sc.hadoopConfiguration(), every));
    }

    private static void restore(JavaSparkContext sc, Map<String, String> flags, Path runDir) throws IOException {
        String dir = flags.get("checkpoint-dir");
        if (dir != null && !Files.isRegularFile(Trainer.lastCheckpoint(runDir))
                && !HadoopCheckpoints.restore(dir, sc.hadoopConfiguration(), runDir)) {
            throw new IllegalArgumentException(dir + ": no checkpoint to resume " + runDir + " from");
        }
        if (!Files.isRegularFile(Trainer.lastCheckpoint(runDir))) {
            throw new IllegalArgumentException(runDir + ": no checkpoint to resume from (" + Trainer.lastCheckpoint(runDir) + ")");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readJson(Path f) throws IOException {
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException(f.getParent() + ": not a run folder (no " + f.getFileName() + ")");
        }
        return (Map<String, Object>) Json.parse(Files.readString(f));
    }
}
