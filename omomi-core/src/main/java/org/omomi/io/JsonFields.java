package org.omomi.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of a parsed JSON object ({@link Json}), for the readers of omomi's files: a key that
 * is missing or of the wrong kind is an {@link IllegalArgumentException} of one line naming the key
 * and what was found ("'std' must be a number, found a string"), which the reader prefixes with its
 * file. Never a {@code ClassCastException} or a {@code NullPointerException}.
 */
public final class JsonFields {

    private JsonFields() {}

    /** What kind of JSON value this is, for messages: "an object", "a string", "null", … */
    public static String kind(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Boolean) {
            return "true/false";
        }
        return v instanceof Number ? "a number" : v.getClass().getSimpleName();
    }

    /** A value as a message shows it: its JSON text on one line, cut after 80 characters. */
    public static String describe(Object v) {
        String s;
        try {
            s = Json.write(v);
        } catch (IllegalArgumentException e) {
            s = String.valueOf(v);
        }
        s = s.replace('\n', ' ').replace('\r', ' ');
        return s.length() > 80 ? s.substring(0, 77) + "…" : s;
    }

    /**
     * Text from a file as a message quotes it: line breaks and other control characters escaped
     * ({@code \n}, {@code \u0000}), cut after 80 characters, so a hostile name cannot break the
     * message's one line or make it long.
     */
    public static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 80; i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || c == '\u0085') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.length() < 80 || s.length() <= 80 ? sb.toString() : sb + "…";
    }

    private static Object present(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing '" + key + "'");
        }
        return v;
    }

    private static IllegalArgumentException wrong(String key, String expected, Object found) {
        return new IllegalArgumentException("'" + key + "' must be " + expected + ", found " + kind(found)
                + (found instanceof Number || found instanceof String ? " " + describe(found) : ""));
    }

    /** A string. */
    public static String string(Map<String, Object> m, String key) {
        Object v = present(m, key);
        if (v instanceof String s) {
            return s;
        }
        throw wrong(key, "a string", v);
    }

    /** A string, or {@code fallback} when the key is missing or null. */
    public static String string(Map<String, Object> m, String key, String fallback) {
        return m.get(key) == null ? fallback : string(m, key);
    }

    /** A number (NaN and ±∞ included). */
    public static double number(Map<String, Object> m, String key) {
        Object v = present(m, key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw wrong(key, "a number", v);
    }

    /** A number, or {@code fallback} when the key is missing or null. */
    public static double number(Map<String, Object> m, String key, double fallback) {
        return m.get(key) == null ? fallback : number(m, key);
    }

    /** A finite number. */
    public static double finite(Map<String, Object> m, String key) {
        double d = number(m, key);
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("'" + key + "' must be a finite number, found " + d);
        }
        return d;
    }

    /** A whole number in [min, max]. */
    public static long whole(Map<String, Object> m, String key, long min, long max) {
        double d = number(m, key);
        if (d != Math.rint(d) || d < min || d > max) {
            throw new IllegalArgumentException("'" + key + "' must be a whole number from " + min + " to " + max + ", found " + d);
        }
        return (long) d;
    }

    /** A whole number in [min, max], or {@code fallback} when the key is missing or null. */
    public static long whole(Map<String, Object> m, String key, long min, long max, long fallback) {
        return m.get(key) == null ? fallback : whole(m, key, min, max);
    }

    /** true or false. */
    public static boolean bool(Map<String, Object> m, String key) {
        Object v = present(m, key);
        if (v instanceof Boolean b) {
            return b;
        }
        throw wrong(key, "true or false", v);
    }

    /** An object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Map<String, Object> m, String key) {
        Object v = present(m, key);
        if (v instanceof Map) {
            return (Map<String, Object>) v;
        }
        throw wrong(key, "an object", v);
    }

    /** An array. */
    public static List<?> list(Map<String, Object> m, String key) {
        Object v = present(m, key);
        if (v instanceof List<?> l) {
            return l;
        }
        throw wrong(key, "an array", v);
    }

    /** An array of strings. */
    public static List<String> strings(Map<String, Object> m, String key) {
        List<?> l = list(m, key);
        List<String> out = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) {
            if (!(l.get(i) instanceof String s)) {
                throw wrong(key + "[" + i + "]", "a string", l.get(i));
            }
            out.add(s);
        }
        return out;
    }

    /** An array of objects. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> objects(Map<String, Object> m, String key) {
        List<?> l = list(m, key);
        List<Map<String, Object>> out = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) {
            if (!(l.get(i) instanceof Map)) {
                throw wrong(key + "[" + i + "]", "an object", l.get(i));
            }
            out.add((Map<String, Object>) l.get(i));
        }
        return out;
    }

    /** An array of whole numbers, each in [min, max]. */
    public static int[] ints(Map<String, Object> m, String key, int min, int max) {
        List<?> l = list(m, key);
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < min
                    || n.doubleValue() > max) {
                throw new IllegalArgumentException("'" + key + "'[" + i + "] must be a whole number from " + min + " to " + max
                        + ", found " + describe(l.get(i)));
            }
            out[i] = n.intValue();
        }
        return out;
    }
}
