package org.omomi.optim;

import java.util.List;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Tensor;

/** Gradient clipping, as {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}. */
public final class GradClip {

    private GradClip() {}

    /**
     * Scales all gradients together so their global L2 norm is at most {@code maxNorm}: each is
     * multiplied by min(1, maxNorm / (‖g‖ + 10⁻⁶)). Returns the norm before clipping; a NaN or
     * infinite norm is returned as is and tells the caller training has diverged.
     */
    public static double byNorm(List<Tensor> params, double maxNorm) {
        double sumSquares = 0;
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g != null) {
                for (float v : g.toArray()) {
                    sumSquares += (double) v * v;
                }
            }
            if (p.sparseGrad() != null) {
                p.setSparseGrad(p.sparseGrad().coalesce()); // repeated rows count once, summed
                sumSquares += p.sparseGrad().sumOfSquares();
            }
        }
        double total = Math.sqrt(sumSquares);
        float coef = (float) Math.min(1.0, maxNorm / (total + 1e-6));
        if (coef < 1f) {
            try (Autograd.Scope ignored = Autograd.noGrad()) {
                for (Tensor p : params) {
                    if (p.grad() != null) {
                        p.setGrad(p.grad().mul(coef));
                    }
                    if (p.sparseGrad() != null) {
                        p.setSparseGrad(p.sparseGrad().times(coef));
                    }
                }
            }
        }
        return total;
    }

    /** Clamps every gradient element into [−limit, limit]. */
    public static void byValue(List<Tensor> params, float limit) {
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            for (Tensor p : params) {
                if (p.grad() != null) {
                    p.setGrad(p.grad().clamp(-limit, limit));
                }
            }
        }
    }
}
