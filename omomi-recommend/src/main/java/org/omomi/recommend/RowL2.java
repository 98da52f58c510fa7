package org.omomi.recommend;

import java.util.ArrayList;
import java.util.List;
import org.omomi.nn.Module;
import org.omomi.tensor.Tensor;

/**
 * L2 regularization of the embedding rows a batch used, as matrix factorization defines it
 * (Koren, Bell and Volinsky 2009, eq. 5; Rendle et al.'s BPR-Opt): λ·Σ‖row‖² for every row each
 * example looked up, averaged over the batch's examples — not λ·‖W‖² over whole tables, whose
 * gradient would touch every row and make a sparse step dense. It reads the rows the forward pass
 * already looked up, through forward hooks on the table nodes, so nothing is looked up twice; the
 * PyTorch twin squares the same looked-up tensors.
 */
final class RowL2 {

    private final double lambda;
    private final List<Tensor[]> seen = new ArrayList<>();

    /** Watches these table nodes of {@code model} (their forward hooks are set) with strength λ. */
    RowL2(Module model, List<String> tables, double lambda) {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("l2 must be a finite number ≥ 0, got " + lambda);
        }
        this.lambda = lambda;
        if (lambda > 0) {
            for (String t : tables) {
                Tensor[] slot = new Tensor[1];
                seen.add(slot);
                model.module(t).setForwardHook(out -> {
                    slot[0] = out;
                    return out;
                });
            }
        }
    }

    /** λ·Σ‖rows‖² / N over the rows of the last forward pass of N examples (a scalar; 0 when λ = 0). */
    Tensor penalty(int examples) {
        Tensor total = null;
        if (lambda == 0) {
            return Tensor.scalar(0f);
        }
        for (Tensor[] slot : seen) {
            if (slot[0] == null) {
                throw new IllegalStateException("the model has not run: no rows to regularize");
            }
            Tensor s = slot[0].mul(slot[0]).sum();
            total = total == null ? s : total.add(s);
        }
        return total.mul((float) (lambda / examples));
    }

    double lambda() {
        return lambda;
    }
}
