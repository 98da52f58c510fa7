package org.omomi.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the keys of one layer's JSON object; errors name the layer and the key. */
final class LayerFields {
    private final Map<String, Object> m;

    LayerFields(Map<String, Object> m) {
        this.m = m;
    }

    static Map<String, Object> of(String type, Object... kv) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", type);
        for (int i = 0; i < kv.length; i += 2) {
            Object v = kv[i + 1];
            out.put((String) kv[i], v instanceof Integer n ? (Object) (long) n : v);
        }
        return out;
    }

    static void positive(String type, String key, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(type + ": '" + key + "' must be a positive whole number, got " + v);
        }
    }

    private String where() {
        return "layer " + org.omomi.io.JsonFields.describe(m);
    }

    double number(String key, double fallback) {
        Object v = m.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw new IllegalArgumentException(where() + ": '" + key + "' must be a number");
        }
        return n.doubleValue();
    }

    int whole(String key, Integer fallback, int min) {
        Object v = m.get(key);
        if (v == null && fallback != null) {
            return fallback;
        }
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException(where() + " needs a number '" + key + "'");
        }
        double d = n.doubleValue();
        if (d != Math.rint(d) || d < min || d > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(where() + ": '" + key + "' must be a " + (min > 0 ? "positive" : "non-negative")
                    + " whole number");
        }
        return (int) d;
    }

    int positive(String key) {
        return whole(key, null, 1);
    }

    int positiveOr(String key, int fallback) {
        return whole(key, fallback, 1);
    }

    int nonNegativeOr(String key, int fallback) {
        return whole(key, fallback, 0);
    }

    int integer(String key, int fallback) {
        return whole(key, fallback, Integer.MIN_VALUE);
    }

    boolean bool(String key, boolean fallback) {
        Object v = m.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Boolean b)) {
            throw new IllegalArgumentException(where() + ": '" + key + "' must be true or false");
        }
        return b;
    }

    String string(String key, String fallback) {
        Object v = m.get(key);
        if (v == null) {
            if (fallback == null) {
                throw new IllegalArgumentException(where() + " needs a string '" + key + "'");
            }
            return fallback;
        }
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException(where() + ": '" + key + "' must be a string");
        }
        return s;
    }

    List<Integer> shape(String key) {
        if (!(m.get(key) instanceof List<?> l)) {
            throw new IllegalArgumentException(where() + " needs a '" + key + "' list");
        }
        List<Integer> out = new ArrayList<>();
        for (Object o : l) {
            if (!(o instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 1) {
                throw new IllegalArgumentException(where() + ": '" + key + "' must list positive whole numbers");
            }
            out.add(n.intValue());
        }
        return out;
    }

    List<Map<String, Object>> objects(String key) {
        if (!(m.get(key) instanceof List<?> l)) {
            throw new IllegalArgumentException(where() + " needs a '" + key + "' list of layers");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : l) {
            out.add(LayerTypes.object(o));
        }
        return out;
    }
}
