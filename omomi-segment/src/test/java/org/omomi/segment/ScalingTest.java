package org.omomi.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.omomi.io.Json;
import org.omomi.tensor.Tensor;

class ScalingTest {

    private static final List<String> NAMES = List.of("a", "b");
    // Column a: 1, 2, 3, 10; column b: an indicator.
    private static final Tensor X = Tensor.of(new float[] {1, 0, 2, 1, 3, 0, 10, 1}, 4, 2);
    private static final boolean[] IND = {false, true};

    private static float[] column(Tensor t, int j) {
        float[] v = t.toArray();
        return new float[] {v[j], v[2 + j], v[4 + j], v[6 + j]};
    }

    @Test
    void theKinds() {
        // standard: mean 4, population sd √(9 + 4 + 1 + 36)/2 = √12.5.
        float s = (float) Math.sqrt(12.5);
        assertArrayEquals(new float[] {-3 / s, -2 / s, -1 / s, 6 / s}, column(Scaling.fit(Scaling.Kind.STANDARD, X, IND, NAMES).apply(X, NAMES), 0), 1e-6f);
        // robust: median 2.5, quartiles 1.75 and 4.75 (numpy's linear interpolation), IQR 3.
        assertArrayEquals(new float[] {-0.5f, -1 / 6f, 1 / 6f, 2.5f}, column(Scaling.fit(Scaling.Kind.ROBUST, X, IND, NAMES).apply(X, NAMES), 0), 1e-6f);
        assertArrayEquals(new float[] {0, 1 / 9f, 2 / 9f, 1}, column(Scaling.fit(Scaling.Kind.MINMAX, X, IND, NAMES).apply(X, NAMES), 0), 1e-6f);
        Tensor logged = Scaling.fit(Scaling.Kind.LOG, X, IND, NAMES).apply(X, NAMES);
        double[] l = {Math.log(2), Math.log(3), Math.log(4), Math.log(11)};
        double m = (l[0] + l[1] + l[2] + l[3]) / 4;
        double sd = Math.sqrt(((l[0] - m) * (l[0] - m) + (l[1] - m) * (l[1] - m) + (l[2] - m) * (l[2] - m) + (l[3] - m) * (l[3] - m)) / 4);
        assertEquals((l[3] - m) / sd, column(logged, 0)[3], 1e-5);
        assertArrayEquals(column(X, 0), column(Scaling.fit(Scaling.Kind.NONE, X, IND, NAMES).apply(X, NAMES), 0), 0f);
        for (Scaling.Kind k : Scaling.Kind.values()) {
            assertArrayEquals(new float[] {0, 1, 0, 1}, column(Scaling.fit(k, X, IND, NAMES).apply(X, NAMES), 1), 0f, k + " leaves indicators alone");
        }
    }

    @Test
    void savedAndReadBack() {
        Scaling s = Scaling.fit(Scaling.Kind.ROBUST, X, IND, NAMES);
        Scaling back = Scaling.fromJson(SchemaTest.castMap(Json.parse(Json.write(s.toJson()))));
        assertArrayEquals(s.apply(X, NAMES).toArray(), back.apply(X, NAMES).toArray(), 0f);
    }

    @Test
    void logNeedsValuesAboveMinusOne() {
        Tensor bad = Tensor.of(new float[] {1, 0, -1, 0}, 2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scaling.fit(Scaling.Kind.LOG, bad, IND, NAMES));
        assertEquals("feature 'a', row 2: -1.0 has no logarithm of 1 + x; the log scaling needs values above −1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Scaling.Kind.named("zscore"));
    }
}
