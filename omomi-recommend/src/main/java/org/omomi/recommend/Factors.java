package org.omomi.recommend;

import org.omomi.nn.Embedding;
import org.omomi.nn.Module;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Tensor;

/**
 * A trained recommender as vectors: every model here scores
 * <pre>
 * s(u, i) = μ + b_u + b_i + ⟨p_u, q_i⟩
 * </pre>
 * with user vectors p [U, d], item vectors q [I, d], item biases b_i, and (matrix factorization
 * only) user biases b_u and the global mean μ, zero otherwise. For the two-tower model p and q are
 * the towers' outputs, computed once for every id. Scoring a user against the whole catalogue is
 * then one matrix-vector product, and the vectors are what fold-in, similarity, explanations and
 * the projection plot read. {@link #of} reads them from a trained graph; the scores equal the
 * graph's to float rounding (a test checks).
 *
 * <p>Arrays are shared, not copied; treat them as read-only.
 */
public record Factors(int dim, float[] users, float[] items, float[] itemBias, float[] userBias, float global) {

    public Factors {
        if (users.length % dim != 0 || items.length % dim != 0 || itemBias.length != items.length / dim
                || userBias.length != users.length / dim) {
            throw new IllegalArgumentException("Factors: inconsistent sizes");
        }
    }

    /** The vectors of a model built from {@link ModelKind#spec}. */
    public static Factors of(ModelKind kind, Module model) {
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            Tensor userTable = ((Embedding) model.module("user_vec")).weight();
            Tensor itemTable = ((Embedding) model.module("item_vec")).weight();
            int dim = userTable.size(1);
            float[] p;
            float[] q;
            if (kind == ModelKind.NCF) {
                boolean training = model.isTraining();
                model.eval();
                p = model.module("user_tower").call(userTable.detach()).toArray();
                q = model.module("item_tower").call(itemTable.detach()).toArray();
                if (training) {
                    model.train();
                }
            } else {
                p = userTable.toArray();
                q = itemTable.toArray();
            }
            float[] bi = ((Embedding) model.module("item_bias")).weight().toArray();
            float[] bu = new float[p.length / dim];
            float mu = 0;
            if (kind == ModelKind.MF) {
                bu = ((Embedding) model.module("user_bias")).weight().toArray();
                mu = model.module("rating").namedParameters().get("bias").item();
            }
            return new Factors(dim, p, q, bi, bu, mu);
        }
    }

    public int userCount() {
        return users.length / dim;
    }

    public int itemCount() {
        return items.length / dim;
    }

    /** User u's vector (a copy). */
    public float[] user(int u) {
        float[] v = new float[dim];
        System.arraycopy(users, u * dim, v, 0, dim);
        return v;
    }

    /** Item i's vector (a copy). */
    public float[] item(int i) {
        float[] v = new float[dim];
        System.arraycopy(items, i * dim, v, 0, dim);
        return v;
    }

    /** ⟨v, q_i⟩ in double. */
    public double dot(float[] v, int i) {
        double s = 0;
        int at = i * dim;
        for (int k = 0; k < dim; k++) {
            s += (double) v[k] * items[at + k];
        }
        return s;
    }

    /** μ + b + b_i + ⟨v, q_i⟩ for every item: a user vector v with user bias b against the catalogue. */
    public float[] scores(float[] v, float userBias) {
        int n = itemCount();
        float[] out = new float[n];
        float base = global + userBias;
        for (int i = 0; i < n; i++) {
            int at = i * dim;
            float s = 0;
            for (int k = 0; k < dim; k++) {
                s += v[k] * items[at + k];
            }
            out[i] = base + itemBias[i] + s;
        }
        return out;
    }

    /** Trained user u's scores for every item. */
    public float[] scores(int u) {
        return scores(user(u), userBias[u]);
    }

    /** Cosine similarity of items i and j's vectors (0 when either is zero). */
    public double cosine(int i, int j) {
        double ij = 0;
        double ii = 0;
        double jj = 0;
        for (int k = 0; k < dim; k++) {
            double a = items[i * dim + k];
            double b = items[j * dim + k];
            ij += a * b;
            ii += a * a;
            jj += b * b;
        }
        return ii == 0 || jj == 0 ? 0 : ij / Math.sqrt(ii * jj);
    }
}
