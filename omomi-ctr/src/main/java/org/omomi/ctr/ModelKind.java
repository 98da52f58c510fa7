package org.omomi.ctr;

import java.util.Locale;

/**
 * The click models, each the one before plus a part:
 * <ul>
 * <li>{@link #LR}: logistic regression, logit = b + Σ_f w[id_f] + Σ_j u_j·x_j — one learned weight per
 *     categorical value (a 1-d embedding per field), one per numeric feature. Its weights are the explanation.</li>
 * <li>{@link #FM}: a factorization machine (Rendle 2010): LR + Σ_{f&lt;g} ⟨v[id_f], v[id_g]⟩, each value
 *     with a k-dimensional vector, every pair of fields interacting through their vectors' dot product.</li>
 * <li>{@link #DEEPFM}: DeepFM (Guo et al. 2017): FM + an MLP over the concatenated field vectors and
 *     numeric features, sharing the FM's vectors.</li>
 * </ul>
 */
public enum ModelKind {
    LR, FM, DEEPFM;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ModelKind named(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "lr": case "logreg": return LR;
            case "fm": return FM;
            case "deepfm": return DEEPFM;
            default: throw new IllegalArgumentException("unknown click model '" + name + "'; use lr, fm or deepfm");
        }
    }
}
