package org.omomi.segment;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.omomi.io.Json;
import org.omomi.tensor.Tensor;

/** The scikit-learn reference values written by conformance/segment_reference.py. */
final class Fixtures {

    private static Map<String, Object> sklearn;

    private Fixtures() {}

    @SuppressWarnings("unchecked")
    static synchronized Map<String, Object> sklearn() {
        if (sklearn == null) {
            try (InputStream in = Fixtures.class.getResourceAsStream("sklearn.json")) {
                sklearn = (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return sklearn;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> cases(String group) {
        return (List<Map<String, Object>>) sklearn().get(group);
    }

    static Tensor matrix(Map<String, Object> c, String key, int rows, int cols) {
        return Tensor.of(JsonFields.floats(c, key), rows, cols);
    }

    static int[] ints(Map<String, Object> c, String key) {
        return JsonFields.ints(c, key);
    }

    static int integer(Map<String, Object> c, String key) {
        return JsonFields.integer(c, key);
    }

    static double number(Map<String, Object> c, String key) {
        return JsonFields.number(c, key);
    }
}
