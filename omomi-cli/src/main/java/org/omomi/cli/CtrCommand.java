package org.omomi.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.omomi.ctr.ArticleTable;
import org.omomi.ctr.ClickFeatures;
import org.omomi.ctr.ClickGenerator;
import org.omomi.ctr.ClickLog;
import org.omomi.ctr.CtrConfig;
import org.omomi.ctr.CtrExplain;
import org.omomi.ctr.CtrPredict;
import org.omomi.ctr.CtrRun;
import org.omomi.ctr.FeatureOptions;
import org.omomi.ctr.FieldAttributions;
import org.omomi.ctr.ClickImportance;
import org.omomi.ctr.LogFormat;
import org.omomi.ctr.ModelKind;
import org.omomi.ctr.Split;
import org.omomi.ctr.Truth;
import org.omomi.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code omomi ctr}: ad click-through prediction that says which features weigh most (docs/ctr.md). */
@Command(name = "ctr", mixinStandardHelpOptions = true,
        description = {"Ad click-through prediction that says which features weigh most (docs/ctr.md):",
            "generate a click log from a known model, train lr, fm or deepfm on a CSV or Criteo log streamed from disk,",
            "explain what weighs most, and predict click probabilities."},
        subcommands = {CtrCommand.Generate.class, CtrCommand.Train.class, CtrCommand.Explain.class, CtrCommand.Predict.class})
final class CtrCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    // ------------------------------------------------------------------ generate

    @Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Write a synthetic click log drawn from a known model: the article's three features (age, interest match,",
                "ad frequency), categorical fields (site, ad category, device), a planted interaction between site and ad category,",
                "and pure-noise features; each row's true click probability in 'true_probability' (CSV) or FILE.true_probability.csv",
                "(Criteo layout), the model's parameters in FILE.truth.json."})
    static final class Generate implements Callable<Integer> {
        @Option(names = "--rows", required = true, paramLabel = "N", description = "Impressions to write.")
        long rows;

        @Option(names = "--seed", defaultValue = "1", description = "Seed of the model and the rows (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The log to write.")
        Path out;

        @Option(names = "--format", defaultValue = "csv", paramLabel = "csv|criteo", description = "Layout (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--interaction", defaultValue = "1.2", paramLabel = "γ",
                description = "Standard deviation of the planted site × ad-category interaction in the logit; 0 for a linear log (default: ${DEFAULT-VALUE}).")
        double interaction;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            LogFormat f = LogFormat.named(format);
            Truth t = ClickGenerator.write(out, new ClickGenerator.Options(rows, seed, f, interaction), TerminalProgress.onTerminal());
            PrintWriter pw = spec.commandLine().getOut();
            pw.printf(Locale.ROOT, "wrote %,d impressions to %s (%s layout): click rate %.4f, mean true probability %.4f%n", rows, out,
                    f.label(), t.clickRate(), t.meanProbability());
            pw.printf("true parameters: %s%n", ClickGenerator.truthFile(out));
            if (f == LogFormat.CRITEO) {
                pw.printf("true probabilities: %s%n", ClickGenerator.probabilityFile(out));
            }
            pw.flush();
            return 0;
        }
    }

    // ------------------------------------------------------------------ train

    @Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Train a click model on a log streamed from disk and write a run folder: ctr.json, model.json,",
                "model.safetensors, preprocessing.json, provenance.json, history.jsonl, checkpoints/, metrics.json (held-out auc,",
                "logloss, normalized_entropy, ece, calibration buckets) and calibration.png."})
    static final class Train implements Callable<Integer> {
        @Option(names = "--data", paramLabel = "FILE", description = "The click log.")
        Path data;

        @Option(names = "--format", defaultValue = "csv", paramLabel = "csv|criteo", description = "Its layout (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--model", defaultValue = "lr", paramLabel = "lr|fm|deepfm", description = "The model (default: ${DEFAULT-VALUE}).")
        String model;

        @Option(names = "--out", paramLabel = "RUN_DIR", description = "The run folder to create.")
        Path out;

        @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue the run in RUN_DIR from its last checkpoint.")
        Path resume;

        @Option(names = "--label", defaultValue = ClickLog.DEFAULT_LABEL, paramLabel = "COLUMN", description = "The 0/1 label column of a CSV log (default: ${DEFAULT-VALUE}).")
        String label;

        @Option(names = "--ignore", split = ",", paramLabel = "COL,COL", description = "CSV columns that are not features.")
        List<String> ignore = new ArrayList<>();

        @Option(names = "--categorical", split = ",", paramLabel = "COL,COL", description = "CSV columns to treat as categorical whatever they hold.")
        List<String> categorical = new ArrayList<>();

        @Option(names = "--skip-bad-rows", description = "Skip malformed rows (and count them) instead of stopping at the first.")
        boolean skipBadRows;

        @Option(names = "--hash-buckets", paramLabel = "N",
                description = "Hash every categorical field into N shared ids (the hashing trick); 0 for a vocabulary per field (default: 0 for csv, 1048576 for criteo).")
        Integer hashBuckets;

        @Option(names = "--min-count", defaultValue = "" + FeatureOptions.MIN_COUNT, paramLabel = "N",
                description = "With vocabularies: values seen fewer times share their field's out-of-vocabulary id (default: ${DEFAULT-VALUE}).")
        int minCount;

        @Option(names = "--integers", defaultValue = "log1p", paramLabel = "log1p|bucket",
                description = "Criteo's integer fields as numbers, sign(v)·ln(1 + |v|) then standardized, or as categories ⌊ln(v)²⌋ (default: ${DEFAULT-VALUE}).")
        String integers;

        @Option(names = "--holdout", defaultValue = "0.1", paramLabel = "F", description = "Fraction of rows held out for the metrics (default: ${DEFAULT-VALUE}).")
        double holdout;

        @Option(names = "--holdout-max", defaultValue = "200000", paramLabel = "N", description = "Most held-out rows kept in memory (default: ${DEFAULT-VALUE}).")
        int holdoutMax;

        @Option(names = "--negative-rate", defaultValue = "1", paramLabel = "R",
                description = "Keep training negatives with probability R (down-sampling); probabilities are corrected back to the full log (default: ${DEFAULT-VALUE}).")
        double negativeRate;

        @Option(names = "--pos-weight", defaultValue = "1", paramLabel = "W",
                description = "Weight of a click in the loss; probabilities are corrected back to the full log (default: ${DEFAULT-VALUE}).")
        double posWeight;

        @Option(names = "--dim", defaultValue = "" + CtrConfig.DIM, paramLabel = "K", description = "Field-vector size of fm and deepfm (default: ${DEFAULT-VALUE}).")
        int dim;

        @Option(names = "--hidden", split = ",", defaultValue = "256,128,64", paramLabel = "N,N", description = "deepfm's hidden layers (default: ${DEFAULT-VALUE}).")
        List<Integer> hidden;

        @Option(names = "--dropout", defaultValue = "0", paramLabel = "P", description = "deepfm's dropout (default: ${DEFAULT-VALUE}).")
        double dropout;

        @Option(names = "--optimizer", paramLabel = "sgd|adam", description = "sgd (lr's default) or adam (fm's and deepfm's; SparseAdam on the tables).")
        String optimizer;

        @Option(names = "--lr", paramLabel = "η", description = "Learning rate (default: 1.0 for lr with sgd, 0.01 for fm, 0.005 for deepfm).")
        Double lr;

        @Option(names = "--l1", defaultValue = "0", paramLabel = "λ", description = "L1 on the first-order weights, as SGD's proximal step (default: ${DEFAULT-VALUE}).")
        double l1;

        @Option(names = "--l2", defaultValue = "0", paramLabel = "λ", description = "L2 penalty λ·Σw² on every weight (default: ${DEFAULT-VALUE}).")
        double l2;

        @Option(names = "--epochs", defaultValue = "10", description = "Epochs at most (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--batch-size", defaultValue = "1024", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--seed", defaultValue = "1", description = "Seed of the split, the weights and the shuffling (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--patience", defaultValue = "2", paramLabel = "EPOCHS",
                description = "Stop after this many epochs without a better held-out log-loss, keeping the best epoch; 0: never (default: ${DEFAULT-VALUE}).")
        int patience;

        @Option(names = "--shuffle-block", defaultValue = "262144", paramLabel = "ROWS",
                description = "Rows shuffled together in memory; a log that fits is fully shuffled every epoch (default: ${DEFAULT-VALUE}).")
        int shuffleBlock;

        @Option(names = "--checkpoint-every", defaultValue = "0", paramLabel = "STEPS", description = "Also checkpoint every STEPS steps (default: every epoch only).")
        int checkpointEvery;

        @Option(names = "--start-weights", split = ",", paramLabel = "NAME=W",
                description = "Starting first-order weights of numeric features (default: the article's age=0.1,interest_match=0.9,ad_frequency=0.4).")
        Map<String, Double> startWeights;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter pw = spec.commandLine().getOut();
            CtrRun.Result r;
            if (resume != null) {
                if (out != null || data != null) {
                    throw new IllegalArgumentException("--resume continues RUN_DIR with its own log and options; drop --out and --data");
                }
                r = CtrRun.resume(resume, TerminalProgress.onTerminal());
            } else {
                if (out == null || data == null) {
                    throw new IllegalArgumentException("--data FILE and --out RUN_DIR are needed (or --resume RUN_DIR)");
                }
                r = CtrRun.train(config(), out, TerminalProgress.onTerminal());
            }
            Map<String, Object> m = r.metrics();
            pw.printf(Locale.ROOT, "trained %s on %s: %d epochs, %d steps, %.1f s (%.0f rows/s)%s%n", r.config().model().kind().label(),
                    r.config().log().file(), r.training().epochs(), r.training().steps(), num(m, "wall_time_s"), r.training().samplesPerSecond(),
                    r.training().stopReason() == null ? "" : "; stopped: " + r.training().stopReason());
            pw.printf(Locale.ROOT, "  rows %,d: %,d training (%,d kept), %,d held out (%,d evaluated)%s%n", (long) num(m, "rows"),
                    (long) num(m, "train_rows"), (long) num(m, "train_rows_kept"), (long) num(m, "held_out_rows"),
                    (long) num(m, "held_out_rows_evaluated"), num(m, "skipped_rows") > 0
                            ? String.format(Locale.ROOT, ", %,d malformed rows skipped (first: %s)", (long) num(m, "skipped_rows"), m.get("first_skipped")) : "");
            if (m.containsKey("auc")) {
                pw.printf(Locale.ROOT, "  held out: auc %.4f  logloss %.4f  normalized entropy %.4f  ece %.4f  (click rate %.4f, mean prediction %.4f)%n",
                        num(m, "auc"), num(m, "logloss"), num(m, "normalized_entropy"), num(m, "ece"), num(m, "ctr"), num(m, "mean_prediction"));
            }
            if (m.containsKey("true_auc")) {
                pw.printf(Locale.ROOT, "  true model on the same rows: auc %.4f  logloss %.4f  ece %.4f%n", num(m, "true_auc"),
                        num(m, "true_logloss"), num(m, "true_ece"));
            }
            if (r.config().model().kind() == ModelKind.LR && r.features().numericCount() > 0) {
                float[] w = r.model().stateDict().get("dense.weight").toArray();
                StringBuilder sb = new StringBuilder("  standardized weights:");
                for (int j = 0; j < w.length; j++) {
                    sb.append(String.format(Locale.ROOT, " %s %+.3f", r.features().numericNames().get(j), w[j]));
                }
                pw.println(sb);
            }
            pw.printf("run folder: %s (metrics.json, calibration.png; 'omomi ctr explain %s' says what weighs most)%n", r.runDir(), r.runDir());
            pw.flush();
            return 0;
        }

        private CtrConfig config() {
            LogFormat f = LogFormat.named(format);
            ModelKind kind = ModelKind.named(model);
            ClickLog log = new ClickLog(data.toAbsolutePath(), f, label, Set.copyOf(ignore), skipBadRows);
            CtrConfig c = CtrConfig.defaults(log, kind);
            FeatureOptions fo = c.features().withMinCount(minCount).withCategorical(Set.copyOf(categorical))
                    .withCriteoIntegers(integers.equals("bucket") ? ClickFeatures.Transform.CRITEO_BUCKET
                            : integers.equals("log1p") ? ClickFeatures.Transform.LOG1P : badIntegers());
            if (hashBuckets != null) {
                fo = fo.withHashBuckets(hashBuckets);
            }
            String opt = optimizer != null ? optimizer : c.optim().optimizer();
            double rate = lr != null ? lr : opt.equals(c.optim().optimizer()) ? c.optim().lr() : opt.equals("sgd") ? 1.0 : 0.005;
            Map<String, Double> start = startWeights != null ? new LinkedHashMap<>(startWeights) : CtrConfig.ARTICLE_START;
            return c.withFeatures(fo)
                    .withLoop(new TrainConfig.Loop(epochs, batchSize, seed, true, false, checkpointEvery, 0))
                    .withSplit(new Split(seed, holdout, negativeRate))
                    .withHoldoutMax(holdoutMax)
                    .withShuffleBlock(shuffleBlock)
                    .withModel(new CtrConfig.Model(kind, dim, hidden, dropout, start))
                    .withOptim(new TrainConfig.Optim(opt, rate, null, 0, l1, l2, "none"))
                    .withPosWeight(posWeight)
                    .withPatience(patience);
        }

        private static ClickFeatures.Transform badIntegers() {
            throw new IllegalArgumentException("--integers must be log1p or bucket");
        }
    }

    static double num(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    // ------------------------------------------------------------------ explain

    @Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Say which features weigh most in a trained click run: mean |Integrated Gradients| per feature and field over",
                "held-out rows (and lr's standardized weights), the article's table (starting against learned weights), the interaction",
                "an fm or deepfm learned (against the planted one of a generated log), and with --row one impression's attributions,",
                "which add up to F(x) − F(baseline) (δ reported). Writes RUN_DIR/importance.json and importance.png (row_N.png)."})
    static final class Explain implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run folder written by 'omomi ctr train'.")
        Path run;

        @Option(names = "--row", defaultValue = "0", paramLabel = "N", description = "Also explain the N-th data row of the log (from 1).")
        int row;

        @Option(names = "--rows", defaultValue = "" + CtrExplain.ROWS, paramLabel = "N", description = "Held-out rows to average over (default: ${DEFAULT-VALUE}).")
        int rows;

        @Option(names = "--data", paramLabel = "FILE", description = "The run's log, if it has moved.")
        Path data;

        @Option(names = "--baseline", defaultValue = "mean", paramLabel = "mean|zero",
                description = "Where the integral starts: every field at its mean weight and vector over the held-out rows (mean), or at 0 (zero);"
                        + " numeric features at their training mean either way (default: ${DEFAULT-VALUE}).")
        String baseline;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            CtrExplain.Result r = CtrExplain.explain(run, data, rows, row, baseline);
            PrintWriter pw = spec.commandLine().getOut();
            ClickImportance imp = r.importance();
            boolean lr = imp.weight().length > 0 && !Double.isNaN(imp.weight()[0]);
            pw.printf(Locale.ROOT, "what weighs most (%s baseline, %d held-out rows, largest |δ| %.1e):%n", baseline, imp.rows(), imp.maxAbsDelta());
            pw.printf(Locale.ROOT, "  %-4s %-18s %-8s %12s%s%n", "rank", "feature", "kind", "mean |IG|", lr ? "   lr weight" : "");
            int rank = 1;
            for (int i : imp.ranking()) {
                pw.printf(Locale.ROOT, "  %-4d %-18s %-8s %12.4f%s%n", rank++, imp.names().get(i), imp.numeric()[i] ? "numeric" : "field",
                        imp.meanAbsIg()[i], lr ? String.format(Locale.ROOT, " %+11.4f%s", imp.weight()[i], imp.numeric()[i] ? "" : " (std)") : "");
            }
            ArticleTable a = r.article();
            if (a != null) {
                pw.println("the article's table:");
                pw.print(a.format());
                pw.println("  " + a.verdict());
            }
            if (r.interaction() != null) {
                pw.printf(Locale.ROOT, "pairwise table learned between %s and %s: correlation %.3f with the planted one%n",
                        r.interaction().rowField(), r.interaction().columnField(), r.interactionCorrelation());
            }
            FieldAttributions.Row one = r.row();
            if (one != null) {
                pw.printf(Locale.ROOT, "row %d (line %d): logit %.4f = baseline %.4f + Σ attributions %.4f (δ %.1e), probability %.4f%n", row,
                        r.rowLine(), one.fx(), one.fBaseline(), one.sum(), one.delta(), 1 / (1 + Math.exp(-one.fx())));
                @SuppressWarnings("unchecked")
                Map<String, Object> attributions = (Map<String, Object>) ((Map<String, Object>) r.json().get("row")).get("attributions");
                attributions.entrySet().stream()
                        .sorted((x, y) -> Double.compare(Math.abs((Double) y.getValue()), Math.abs((Double) x.getValue())))
                        .forEach(e -> pw.printf(Locale.ROOT, "  %-18s %+.4f%n", e.getKey(), (Double) e.getValue()));
            }
            pw.printf("wrote %s and %s%s%n", run.resolve("importance.json"), run.resolve("importance.png"),
                    one != null ? " and " + run.resolve("row_" + row + ".png") : "");
            pw.flush();
            return 0;
        }
    }

    // ------------------------------------------------------------------ predict

    @Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Click probabilities for a log, streamed, in input order: a CSV gets its columns plus 'probability';",
                "a Criteo log (with or without its label) gives a CSV of line,probability. The output is written atomically."})
    static final class Predict implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run folder written by 'omomi ctr train'.")
        Path run;

        @Option(names = "--input", required = true, paramLabel = "FILE", description = "The impressions to score.")
        Path input;

        @Option(names = "--output", required = true, paramLabel = "FILE", description = "Where to write the probabilities.")
        Path output;

        @Option(names = "--format", paramLabel = "csv|criteo", description = "The input's layout (default: the run's).")
        String format;

        @Option(names = "--skip-bad-rows", description = "Leave malformed rows out (and count them) instead of stopping.")
        boolean skipBadRows;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            CtrPredict.Result r = CtrPredict.predict(run, input, format == null ? null : LogFormat.named(format), output, skipBadRows,
                    TerminalProgress.onTerminal());
            PrintWriter pw = spec.commandLine().getOut();
            pw.printf(Locale.ROOT, "scored %,d rows of %s into %s (mean probability %.4f)%s%n", r.rows(), input, output, r.meanProbability(),
                    r.skipped() > 0 ? String.format(Locale.ROOT, "; %,d malformed rows left out (first: %s)", r.skipped(), r.firstSkipped()) : "");
            pw.flush();
            return 0;
        }
    }
}
