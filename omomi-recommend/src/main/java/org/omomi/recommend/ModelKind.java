package org.omomi.recommend;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.omomi.nn.LayerSpec;
import org.omomi.nn.LayerSpec.ActivationSpec;
import org.omomi.nn.LayerSpec.AddSpec;
import org.omomi.nn.LayerSpec.BiasSpec;
import org.omomi.nn.LayerSpec.DenseSpec;
import org.omomi.nn.LayerSpec.DotSpec;
import org.omomi.nn.LayerSpec.EmbeddingSpec;
import org.omomi.nn.LayerSpec.FlattenSpec;
import org.omomi.nn.LayerSpec.SequentialSpec;
import org.omomi.nn.ModelSpec;
import org.omomi.nn.ModelSpec.InputSpec;
import org.omomi.nn.ModelSpec.NodeSpec;

/**
 * The three recommenders, each a {@link ModelSpec} graph over two id inputs — {@code user} [N, 1]
 * and {@code item} [N, k], k candidate items per user — whose output [N, k] scores every
 * candidate. The same graph scores one item (k = 1: a rating, a serving call), a BPR pair
 * (k = 2: the positive, then the sampled negative, through one shared item table) or 101
 * candidates (the sampled evaluation). The embedding tables are sparse: a batch's gradient holds
 * only the rows it touched, and the optimizer updates only those.
 *
 * <ul>
 * <li>{@link #MF}: matrix factorization for explicit ratings (Koren, Bell and Volinsky 2009,
 *     eq. 4): r̂ = μ + b_u + b_i + p_u·q_i, trained on squared error with L2 on the rows used.</li>
 * <li>{@link #BPR}: Bayesian personalized ranking (Rendle et al., UAI 2009) on implicit feedback:
 *     s = p_u·q_i + b_i, trained on −log σ(s⁺ − s⁻) over sampled negatives. (A user bias would
 *     cancel in s⁺ − s⁻, so there is none.)</li>
 * <li>{@link #NCF}: a neural two-tower model: each id's embedding goes through its own small MLP
 *     (dense, ReLU, dense) and the towers meet in a dot product, s = f(p_u)·g(q_i) + b_i, trained
 *     on the BPR loss. It is the neural model of He et al.'s NCF family that keeps an item vector
 *     (g(q_i)), so fold-in, similarity and explanations work on it as on the others.</li>
 * </ul>
 */
public enum ModelKind {
    MF, BPR, NCF;

    /** {@code mf}, {@code bpr} or {@code ncf} (also {@code two-tower}). */
    public static ModelKind parse(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "mf": return MF;
            case "bpr": return BPR;
            case "ncf":
            case "two-tower": return NCF;
            default: throw new IllegalArgumentException("unknown model '" + name + "'; use mf, bpr or ncf");
        }
    }

    /** The name in files and on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the model is trained on ratings (squared error) rather than on rankings (BPR). */
    public boolean rating() {
        return this == MF;
    }

    /**
     * The model graph for {@code users} × {@code items} with {@code dim} factors; the factor tables
     * start as N(0, std²), the biases at 0; {@code hidden} is the width of the two-tower MLPs.
     */
    public ModelSpec spec(int users, int items, int dim, int hidden, double std) {
        List<InputSpec> inputs = List.of(InputSpec.ids("user", 1), InputSpec.ids("item", 1));
        List<NodeSpec> n = new ArrayList<>();
        n.add(new NodeSpec("user_vec", new EmbeddingSpec(users, dim, true, std), "user"));
        n.add(new NodeSpec("item_vec", new EmbeddingSpec(items, dim, true, std), "item"));
        n.add(new NodeSpec("item_bias", new EmbeddingSpec(items, 1, true, 0), "item"));
        switch (this) {
            case MF:
                n.add(new NodeSpec("user_bias", new EmbeddingSpec(users, 1, true, 0), "user"));
                n.add(new NodeSpec("match", new DotSpec(), "user_vec", "item_vec"));
                n.add(new NodeSpec("biased", new AddSpec(), "match", "user_bias", "item_bias"));
                n.add(new NodeSpec("rating", new BiasSpec(1), "biased"));
                n.add(new NodeSpec("score", new FlattenSpec(), "rating"));
                break;
            case BPR:
                n.add(new NodeSpec("match", new DotSpec(), "user_vec", "item_vec"));
                n.add(new NodeSpec("biased", new AddSpec(), "match", "item_bias"));
                n.add(new NodeSpec("score", new FlattenSpec(), "biased"));
                break;
            default:
                n.add(new NodeSpec("user_tower", tower(dim, hidden), "user_vec"));
                n.add(new NodeSpec("item_tower", tower(dim, hidden), "item_vec"));
                n.add(new NodeSpec("match", new DotSpec(), "user_tower", "item_tower"));
                n.add(new NodeSpec("biased", new AddSpec(), "match", "item_bias"));
                n.add(new NodeSpec("score", new FlattenSpec(), "biased"));
        }
        return ModelSpec.graph(id(), inputs, 1, n, "score");
    }

    private static LayerSpec tower(int dim, int hidden) {
        return new SequentialSpec(List.of(new DenseSpec(dim, hidden), ActivationSpec.of("relu"), new DenseSpec(hidden, dim)));
    }

    /** The graph nodes whose looked-up rows the L2 penalty covers: every embedding table. */
    public List<String> tables() {
        return this == MF ? List.of("user_vec", "item_vec", "item_bias", "user_bias") : List.of("user_vec", "item_vec", "item_bias");
    }
}
