package org.omomi.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.omomi.io.Json;
import org.omomi.tensor.Tensor;

/** Reads the PyTorch reference values written by conformance/torch_fixtures.py. */
public final class Fixtures {

    /** Relative tolerance the conformance suite promises. */
    public static final double RTOL = 1e-5;

    private Fixtures() {}

    @SuppressWarnings("unchecked")
    public static Map<String, Object> load(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/conformance/" + name)) {
            if (in == null) {
                throw new IllegalStateException("fixture " + name + " is missing; run conformance/torch_fixtures.py");
            }
            return (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    public static float[] floats(Object o) {
        List<Object> l = list(o);
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Double) l.get(i)).floatValue();
        }
        return out;
    }

    public static int[] ints(Object o) {
        List<Object> l = list(o);
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Double) l.get(i)).intValue();
        }
        return out;
    }

    public static double number(Object o) {
        return (Double) o;
    }

    public static Tensor tensor(Map<String, Object> c, String values, String shape) {
        return Tensor.of(floats(c.get(values)), ints(c.get(shape)));
    }

    /** Every element within RTOL·max(1, |expected|): relative for large values, absolute near zero. */
    public static void assertClose(float[] expected, float[] actual, String what) {
        assertClose(expected, actual, RTOL, what);
    }

    public static void assertClose(float[] expected, float[] actual, double rtol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (Double.isNaN(e) || Double.isInfinite(e)) {
                if (Double.compare(e, a) != 0) {
                    fail(what + "[" + i + "]: expected " + e + ", got " + a);
                }
                continue;
            }
            if (!(Math.abs(a - e) <= rtol * Math.max(1.0, Math.abs(e)))) {
                fail(what + "[" + i + "]: expected " + e + ", got " + a + " (difference " + Math.abs(a - e) + ")");
            }
        }
    }
}
