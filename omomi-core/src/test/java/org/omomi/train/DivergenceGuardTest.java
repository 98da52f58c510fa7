package org.omomi.train;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.omomi.nn.Embedding;
import org.omomi.optim.Sgd;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.RowSparseGrad;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/** The divergence guard checks a table after a row-sparse step in the rows the step touched, and a dense step's parameter in full. */
class DivergenceGuardTest {

    private static TrainContext context(Embedding table) {
        return new TrainContext(table, Sgd.of(List.of(table.weight()), 0.1), null, 1, 1, null, null);
    }

    private static final StepResult FINE = new StepResult(1, 0.5, 0.5, Double.NaN, null);

    private static void poison(Embedding table, int row) {
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            table.weight().array()[row * table.dim() + 2] = Float.NaN;
        }
    }

    @Test
    void aTouchedRowThatWentBadStopsTraining() {
        Embedding table = new Embedding(1000, 4, true, new Rng(1), org.omomi.init.Init.normal(0f, 1f));
        table.weight().setSparseGrad(RowSparseGrad.of(1000, 4, new int[] {3, 7, 3}, new float[12]));
        assertDoesNotThrow(() -> new DivergenceGuard().onStepEnd(context(table), FINE));
        poison(table, 7);
        Diverged e = assertThrows(Diverged.class, () -> new DivergenceGuard().onStepEnd(context(table), FINE));
        assertTrue(e.getMessage().contains("parameter 'weight' became NaN"), e.getMessage());
    }

    @Test
    void aDenseStepIsCheckedInFull() {
        Embedding table = new Embedding(1000, 4, false, new Rng(1), org.omomi.init.Init.normal(0f, 1f));
        table.weight().setGrad(Tensor.zeros(1000, 4));
        poison(table, 999);
        assertThrows(Diverged.class, () -> new DivergenceGuard().onStepEnd(context(table), FINE));
        table.weight().setGrad(null);
        assertThrows(Diverged.class, () -> new DivergenceGuard().onStepEnd(context(table), FINE), "no gradient at all: in full too");
    }
}
