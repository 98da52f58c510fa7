package org.omomi.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.omomi.data.TensorDataset;
import org.omomi.nn.Activation;
import org.omomi.nn.Dense;
import org.omomi.nn.Sequential;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

class DeadUnitsTest {

    @Test
    void aUnitNegativeForEveryInputIsDeadAndOneFiringOnceIsNot() {
        Sequential model = new Sequential(new Dense(2, 3, new Rng(1)), Activation.relu());
        // Inputs in [0, 1]²: unit 0 = -x0 - x1 - 1 < 0 always (dead); unit 1 = x0 fires when x0 > 0;
        // unit 2 = x0 - 0.95 fires for one example only.
        model.loadStateDict(Map.of(
                "0.weight", Tensor.of(new float[] {-1, -1, 1, 0, 1, 0}, 3, 2),
                "0.bias", Tensor.of(new float[] {-1, 0, -0.95f}, 3)));
        Tensor x = Tensor.of(new float[] {0, 0, 0.5f, 0.2f, 1, 1, 0.3f, 0.9f}, 4, 2);
        var data = new TensorDataset(x, Tensor.zeros(4));
        model.train();
        var relu = DeadUnits.of(model, data, 256).get("1");
        assertEquals(3L, relu.units());
        assertEquals(1.0 / 3, relu.deadFraction(), 1e-12);
        // zeros: unit 0 ×4, unit 1 ×1 (x0 = 0), unit 2 ×3
        assertEquals(8.0 / 12, relu.zeroFraction(), 1e-12);
        assertTrue(model.isTraining(), "the probe restores training mode");
        assertNull(model.get(1).setForwardHook(null), "the probe removes its hooks");
        assertEquals(1.0, DeadUnits.of(model, data.range(0, 1), 256).get("1").deadFraction(),
                "with only the zero input every unit is dead");
    }
}
