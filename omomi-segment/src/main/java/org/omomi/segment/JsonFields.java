package org.omomi.segment;

import java.util.List;
import java.util.Map;

/** Typed reads from parsed JSON ({@link org.omomi.io.Json}), each failure one line naming the key. */
final class JsonFields {

    private JsonFields() {}

    static Object field(Map<String, Object> json, String key) {
        if (!json.containsKey(key)) {
            throw new IllegalArgumentException("missing key '" + key + "'");
        }
        return json.get(key);
    }

    static String string(Map<String, Object> json, String key) {
        if (field(json, key) instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("'" + key + "' must be a string");
    }

    static double number(Map<String, Object> json, String key) {
        if (field(json, key) instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("'" + key + "' must be a number");
    }

    static int integer(Map<String, Object> json, String key) {
        double v = number(json, key);
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("'" + key + "' must be a whole number, got " + v);
        }
        return (int) v;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Map<String, Object> json, String key) {
        if (field(json, key) instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException("'" + key + "' must be an object");
    }

    static List<?> list(Map<String, Object> json, String key) {
        if (field(json, key) instanceof List<?> l) {
            return l;
        }
        throw new IllegalArgumentException("'" + key + "' must be an array");
    }

    static float[] floats(Map<String, Object> json, String key) {
        List<?> l = list(json, key);
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Number n)) {
                throw new IllegalArgumentException("'" + key + "'[" + i + "] must be a number");
            }
            out[i] = n.floatValue();
        }
        return out;
    }

    static double[] doubles(Map<String, Object> json, String key) {
        List<?> l = list(json, key);
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Number n)) {
                throw new IllegalArgumentException("'" + key + "'[" + i + "] must be a number");
            }
            out[i] = n.doubleValue();
        }
        return out;
    }

    static int[] ints(Map<String, Object> json, String key) {
        double[] d = doubles(json, key);
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            if (d[i] != Math.rint(d[i])) {
                throw new IllegalArgumentException("'" + key + "'[" + i + "] must be a whole number");
            }
            out[i] = (int) d[i];
        }
        return out;
    }

    static List<String> strings(Map<String, Object> json, String key) {
        List<?> l = list(json, key);
        for (int i = 0; i < l.size(); i++) {
            if (!(l.get(i) instanceof String)) {
                throw new IllegalArgumentException("'" + key + "'[" + i + "] must be a string");
            }
        }
        @SuppressWarnings("unchecked")
        List<String> s = (List<String>) l;
        return s;
    }
}
