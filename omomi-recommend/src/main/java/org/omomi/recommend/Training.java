package org.omomi.recommend;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.data.BatchSource;
import org.omomi.data.DataLoader;
import org.omomi.data.Dataset;
import org.omomi.data.InputsDataset;
import org.omomi.nn.ModelSpec;
import org.omomi.nn.Module;
import org.omomi.optim.Adagrad;
import org.omomi.optim.Adam;
import org.omomi.optim.Optimizer;
import org.omomi.optim.Sgd;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Inputs;
import org.omomi.tensor.IntTensor;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.train.Callback;
import org.omomi.train.Checkpoint;
import org.omomi.train.EarlyStopping;
import org.omomi.train.Metric;
import org.omomi.train.Objective;
import org.omomi.train.Trainer;

/**
 * Trains a recommender with the shared engine: the model is a {@link ModelKind} graph, the loop
 * is {@link Trainer} (its run log, checkpoints, divergence guard and early stopping), the batches
 * a {@link DataLoader} of ratings (MF) or a {@link PairSampler} of BPR pairs, the objective
 * {@link RatingObjective} or {@link BprObjective} with L2 on the rows used ({@link RowL2}), the
 * optimizer one of the three that update only the touched rows of sparse tables (Adam as
 * SparseAdam, Adagrad, plain SGD).
 *
 * <p>Validation, when the split has it, is each user's second-to-last interaction: RMSE for
 * ratings, and for rankings the held-out item against 100 sampled negatives, whose BPR loss the
 * trainer monitors and whose hit rate at 10 is logged every epoch.
 */
public final class Training {

    private Training() {}

    /**
     * How to train. Defaults ({@link #defaults}) are in docs/recommend.md with the reasons.
     *
     * @param dim       factors per user and item
     * @param hidden    the two-tower MLPs' hidden width (NCF only)
     * @param batchSize interactions per step
     * @param l2        λ of {@link RowL2}
     * @param negatives sampled negatives per positive (BPR, NCF)
     * @param optimizer {@code adam} (SparseAdam on the tables), {@code adagrad} or {@code sgd}
     * @param std       the factor tables' initial N(0, std²)
     * @param patience  epochs without a better validation loss before stopping (0: run every epoch)
     */
    public record Options(ModelKind model, int dim, int hidden, int epochs, int batchSize, double lr, double l2, int negatives,
                          String optimizer, double std, long seed, int patience) {
        public Options {
            if (dim < 1 || hidden < 1 || epochs < 1 || batchSize < 1 || negatives < 1) {
                throw new IllegalArgumentException("dim, hidden, epochs, batch size and negatives must be positive");
            }
            if (!(lr > 0) || !(l2 >= 0) || !(std >= 0) || patience < 0) {
                throw new IllegalArgumentException("lr must be > 0, l2 and std ≥ 0, patience ≥ 0");
            }
            if (!List.of("adam", "adagrad", "sgd").contains(optimizer)) {
                throw new IllegalArgumentException("unknown optimizer '" + optimizer + "'; use adam, adagrad or sgd");
            }
        }

        /** The defaults for a model kind. */
        public static Options defaults(ModelKind kind) {
            switch (kind) {
                case MF: return new Options(kind, 32, 64, 40, 256, 0.005, 0.02, 1, "adam", 0.1, 1, 0);
                case BPR: return new Options(kind, 32, 64, 30, 1024, 0.01, 1e-4, 1, "adam", 0.1, 1, 0);
                default: return new Options(kind, 32, 64, 30, 1024, 0.005, 1e-4, 1, "adam", 0.1, 1, 0);
            }
        }

        public Options withDim(int v) {
            return new Options(model, v, hidden, epochs, batchSize, lr, l2, negatives, optimizer, std, seed, patience);
        }

        public Options withHidden(int v) {
            return new Options(model, dim, v, epochs, batchSize, lr, l2, negatives, optimizer, std, seed, patience);
        }

        public Options withEpochs(int v) {
            return new Options(model, dim, hidden, v, batchSize, lr, l2, negatives, optimizer, std, seed, patience);
        }

        public Options withBatchSize(int v) {
            return new Options(model, dim, hidden, epochs, v, lr, l2, negatives, optimizer, std, seed, patience);
        }

        public Options withLr(double v) {
            return new Options(model, dim, hidden, epochs, batchSize, v, l2, negatives, optimizer, std, seed, patience);
        }

        public Options withL2(double v) {
            return new Options(model, dim, hidden, epochs, batchSize, lr, v, negatives, optimizer, std, seed, patience);
        }

        public Options withNegatives(int v) {
            return new Options(model, dim, hidden, epochs, batchSize, lr, l2, v, optimizer, std, seed, patience);
        }

        public Options withOptimizer(String v) {
            return new Options(model, dim, hidden, epochs, batchSize, lr, l2, negatives, v, std, seed, patience);
        }

        public Options withStd(double v) {
            return new Options(model, dim, hidden, epochs, batchSize, lr, l2, negatives, optimizer, v, seed, patience);
        }

        public Options withSeed(long v) {
            return new Options(model, dim, hidden, epochs, batchSize, lr, l2, negatives, optimizer, std, v, patience);
        }

        public Options withPatience(int v) {
            return new Options(model, dim, hidden, epochs, batchSize, lr, l2, negatives, optimizer, std, seed, v);
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", model.id());
            m.put("dim", (long) dim);
            if (model == ModelKind.NCF) {
                m.put("hidden", (long) hidden);
            }
            m.put("epochs", (long) epochs);
            m.put("batch_size", (long) batchSize);
            m.put("lr", lr);
            m.put("l2", l2);
            if (!model.rating()) {
                m.put("negatives", (long) negatives);
            }
            m.put("optimizer", optimizer);
            m.put("std", std);
            m.put("seed", seed);
            m.put("patience", (long) patience);
            return m;
        }

        public static Options fromJson(Map<String, Object> m) {
            ModelKind kind = ModelKind.parse(String.valueOf(m.get("model")));
            Options d = defaults(kind);
            return new Options(kind, whole(m, "dim", d.dim), whole(m, "hidden", d.hidden), whole(m, "epochs", d.epochs),
                    whole(m, "batch_size", d.batchSize), number(m, "lr", d.lr), number(m, "l2", d.l2), whole(m, "negatives", d.negatives),
                    m.get("optimizer") instanceof String s ? s : d.optimizer, number(m, "std", d.std),
                    m.get("seed") instanceof Number n ? n.longValue() : d.seed, whole(m, "patience", d.patience));
        }

        private static int whole(Map<String, Object> m, String k, int d) {
            return m.get(k) instanceof Number n ? n.intValue() : d;
        }

        private static double number(Map<String, Object> m, String k, double d) {
            return m.get(k) instanceof Number n ? n.doubleValue() : d;
        }
    }

    /** A trained model: its graph description, the module, its vectors and the trainer's result. */
    public record Trained(ModelSpec spec, Module model, Factors factors, Trainer.Result result) {}

    /** The sampled negatives per validation user (the NCF paper's 100). */
    public static final int SAMPLED_NEGATIVES = 100;

    /**
     * Trains on the split's training interactions; {@code runDir} (may be null) receives the run
     * log and checkpoints.
     */
    public static Trained train(Interactions data, Split split, Options o, Path runDir) throws IOException {
        return train(data, split, o, runDir, List.of());
    }

    /** {@link #train}, with more callbacks after the trainer's own (a probe, a timer, a dashboard's feed). */
    public static Trained train(Interactions data, Split split, Options o, Path runDir, List<Callback> callbacks) throws IOException {
        return train(data, split, o, runDir, callbacks, null);
    }

    /**
     * {@link #train}, continuing from a checkpoint of an earlier run on the same data, split and
     * options when {@code from} is not null; it ends with the weights a run that never stopped has.
     */
    public static Trained train(Interactions data, Split split, Options o, Path runDir, List<Callback> callbacks, Checkpoint from)
            throws IOException {
        if (o.model().rating() && !data.explicit()) {
            throw new IllegalArgumentException("matrix factorization predicts ratings, and every rating here is 1 (implicit feedback); "
                    + "use --model bpr or ncf");
        }
        ModelSpec spec = o.model().spec(data.userCount(), data.itemCount(), o.dim(), o.hidden(), o.std());
        Module model = spec.build(new Rng(o.seed()));
        RowL2 l2 = new RowL2(model, o.model().tables(), o.l2());
        Objective objective;
        BatchSource source;
        Dataset val;
        List<Metric> metrics = new ArrayList<>();
        int[] train = split.train();
        if (train.length == 0) {
            throw new IllegalArgumentException("no training interactions");
        }
        if (o.model().rating()) {
            setGlobalMean(model, data, train);
            objective = new RatingObjective(l2);
            source = new DataLoader(ratings(data, train), o.batchSize(), true, o.seed());
            val = split.validation().length == 0 ? null : ratings(data, split.validation());
            metrics.add(Metric.of("rmse", (out, y) -> rmse(out.toArray(), y.toArray())));
        } else {
            objective = new BprObjective(l2);
            source = PairSampler.of(data, split, o.batchSize(), o.negatives(), o.seed());
            val = split.validation().length == 0 ? null : sampledCandidates(data, split.validation(), o.seed());
            metrics.add(RankingMetrics.sampled("hr@10_sampled", 10, false));
        }
        Trainer trainer = new Trainer(model, objective, optimizer(model, o),
                new Trainer.Options(o.epochs(), o.batchSize(), true, o.seed(), 0, 0, 0, false), runDir).withMetrics(metrics);
        if (o.patience() > 0 && val != null) {
            trainer.addCallback(new EarlyStopping(o.patience(), 0, true));
        }
        callbacks.forEach(trainer::addCallback);
        Trainer.Result r = trainer.fit(source, val, from);
        return new Trained(spec, model, Factors.of(o.model(), model), r);
    }

    /** The optimizer of a run: sparse tables and dense weights in one group, weight decay 0 (L2 is in the loss). */
    static Optimizer optimizer(Module model, Options o) {
        List<Tensor> params = model.parameters();
        switch (o.optimizer()) {
            case "adagrad": return new Adagrad(params, Adagrad.Options.defaults().withLr(o.lr()));
            case "sgd": return new Sgd(params, Sgd.Options.lr(o.lr()));
            default: return new Adam(params, Adam.Options.adam().withLr(o.lr()));
        }
    }

    /** μ starts at the training mean, so the factors and biases learn deviations from it from the first step. */
    private static void setGlobalMean(Module model, Interactions data, int[] rows) {
        double s = 0;
        for (int k : rows) {
            s += data.rating(k);
        }
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            model.module("rating").namedParameters().get("bias").fill((float) (s / rows.length));
        }
    }

    /** user [N, 1], item [N, 1] and the ratings [N] of these interactions. */
    static InputsDataset ratings(Interactions data, int[] rows) {
        int n = rows.length;
        int[] u = new int[n];
        int[] it = new int[n];
        float[] y = new float[n];
        for (int k = 0; k < n; k++) {
            u[k] = data.user(rows[k]);
            it[k] = data.item(rows[k]);
            y[k] = data.rating(rows[k]);
        }
        return new InputsDataset(Inputs.of("user", IntTensor.of(u, n, 1)).with("item", IntTensor.of(it, n, 1)), Tensor.wrap(y, n));
    }

    /**
     * user [N, 1] and item [N, 1 + m]: each held-out item, then m sampled items the user never
     * had, m = 100 or, in a catalogue too small for that, as many as every user has left; null
     * when some user has none left.
     */
    static InputsDataset sampledCandidates(Interactions data, int[] rows, long seed) {
        int[][] owned = data.itemsByUser();
        int n = rows.length;
        int m = SAMPLED_NEGATIVES;
        for (int k = 0; k < n; k++) {
            m = Math.min(m, data.itemCount() - owned[data.user(rows[k])].length);
        }
        if (m < 1) {
            return null;
        }
        int w = 1 + m;
        int[] u = new int[n];
        int[] it = new int[n * w];
        for (int k = 0; k < n; k++) {
            int user = data.user(rows[k]);
            int[] c = Candidates.sampled(data.item(rows[k]), owned[user], data.itemCount(), m, seed, user);
            u[k] = user;
            System.arraycopy(c, 0, it, k * w, w);
        }
        return new InputsDataset(Inputs.of("user", IntTensor.of(u, n, 1)).with("item", IntTensor.of(it, n, w)), null);
    }

    static double rmse(float[] p, float[] y) {
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            double e = (double) p[i] - y[i];
            s += e * e;
        }
        return Math.sqrt(s / p.length);
    }
}
