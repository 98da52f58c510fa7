package org.omomi.ctr;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.omomi.data.Csv;
import org.omomi.data.Preprocessing;
import org.omomi.io.JsonFields;
import org.omomi.tensor.Inputs;
import org.omomi.tensor.IntTensor;
import org.omomi.tensor.Tensor;

/**
 * How a click log's raw fields become a click model's inputs, learned in one streaming pass over
 * the training rows ({@link FeatureLearner}) and saved with the model as
 * {@code preprocessing.json} (format {@value #FORMAT}), so that evaluation, prediction and the
 * prediction server transform exactly as training did.
 *
 * <p>Inputs: {@value #IDS} [N, F] — one id per categorical field, all fields sharing one table of
 * {@link #tableRows()} rows — and {@value #NUMERIC} [N, D], the numeric features (either may be
 * absent when a log has none of its kind).
 *
 * <ul>
 * <li><b>Numeric</b> features: a transform ({@code none} for CSV columns; {@code log1p} for
 *     Criteo's integer counts, sign(v)·ln(1 + |v|)), then standardization (t − mean) / std with the
 *     training rows' mean and population standard deviation (std 0 taken as 1). A missing value
 *     becomes the mean, 0 after standardization, which is also the explanations' baseline.</li>
 * <li><b>Categorical</b> fields: the stripped text, missing ({@code ""}, NA, N/A, NaN, null, ?)
 *     as a value of its own, {@value #MISSING}; Criteo's integers under {@code criteo_bucket}
 *     become the customary bucket v for v ≤ 2 and ⌊ln(v)²⌋ above. Then either a vocabulary per
 *     field of the values seen at least {@code minCount} times in training, field f's ids starting
 *     after field f − 1's and each field ending with its out-of-vocabulary id (rarer and unseen
 *     values), or the hashing trick: 64-bit FNV-1a of the UTF-8 bytes of "field=value" modulo
 *     {@code hashBuckets} — {@link org.omomi.data.Tabular#hashedId}'s ids, the field name in the
 *     key so equal values of two fields land apart.</li>
 * </ul>
 */
public final class ClickFeatures implements Preprocessing {

    /** The preprocessing.json format. */
    public static final String FORMAT = "omomi.ctr/1";
    /** The id input: [N, categorical fields]. */
    public static final String IDS = "ids";
    /** The float input: [N, numeric features]. */
    public static final String NUMERIC = "x";
    /** The value a missing category becomes. */
    public static final String MISSING = "(missing)";

    /** What happens to a raw value before standardization (numeric) or lookup (categorical). */
    public enum Transform {
        /** The value as it is (stripped text for a category). */
        NONE,
        /** sign(v)·ln(1 + |v|): Criteo's heavy-tailed integer counts as numbers (DLRM's log(1 + x)). */
        LOG1P,
        /** v for v ≤ 2, else ⌊ln(v)²⌋: Criteo's integers as categories (the Kaggle winners' buckets). */
        CRITEO_BUCKET;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Transform named(String s) {
            for (Transform t : values()) {
                if (t.name().equalsIgnoreCase(s)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown transform " + JsonFields.describe(s) + "; use none, log1p or criteo_bucket");
        }
    }

    /** A numeric feature: its transform and the training mean and standard deviation after it. */
    public record Numeric(String name, Transform transform, double mean, double std) {}

    /** A categorical field: its transform and, with a vocabulary, the values that have ids (sorted). */
    public record Categorical(String name, Transform transform, List<String> vocabulary) {
        public Categorical {
            vocabulary = List.copyOf(vocabulary);
        }
    }

    private final LogFormat source;
    private final String label;
    private final List<String> fields;
    private final List<Numeric> numeric;
    private final List<Categorical> categorical;
    private final int hashBuckets;
    private final int minCount;
    // derived
    private final int[] slot;          // per raw field: numeric index, or −1 − categorical index
    private final int[] offsets;       // vocabulary: first id of each categorical field
    private final List<Map<String, Integer>> lookups;
    private final long[] prefixes;     // hashing: FNV-1a state after "field="
    private final int rows;

    /**
     * @param fields      the raw fields a row gives, in order (every numeric and categorical name once)
     * @param hashBuckets > 0 for the hashing trick, 0 for vocabularies
     * @param minCount    the vocabularies' minimum count (kept for the record; the vocabularies are given)
     */
    public ClickFeatures(LogFormat source, String label, List<String> fields, List<Numeric> numeric, List<Categorical> categorical,
                         int hashBuckets, int minCount) {
        this.source = source;
        this.label = label;
        this.fields = List.copyOf(fields);
        this.numeric = List.copyOf(numeric);
        this.categorical = List.copyOf(categorical);
        if (hashBuckets < 0 || minCount < 1) {
            throw new IllegalArgumentException("click features: hash buckets must be ≥ 0 and the minimum count ≥ 1");
        }
        this.hashBuckets = hashBuckets;
        this.minCount = minCount;
        Map<String, Integer> numIndex = new HashMap<>();
        for (int i = 0; i < numeric.size(); i++) {
            numIndex.put(numeric.get(i).name(), i);
        }
        Map<String, Integer> catIndex = new HashMap<>();
        for (int i = 0; i < categorical.size(); i++) {
            catIndex.put(categorical.get(i).name(), i);
        }
        slot = new int[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            String f = fields.get(i);
            if (numIndex.containsKey(f) == catIndex.containsKey(f)) {
                throw new IllegalArgumentException("click features: field '" + JsonFields.printable(f) + "' must be numeric or categorical, once");
            }
            slot[i] = numIndex.containsKey(f) ? numIndex.get(f) : -1 - catIndex.get(f);
        }
        if (numIndex.size() + catIndex.size() != fields.size()) {
            throw new IllegalArgumentException("click features: every numeric and categorical feature must be one of the fields");
        }
        offsets = new int[categorical.size()];
        lookups = new ArrayList<>();
        prefixes = new long[categorical.size()];
        long total = 0;
        for (int c = 0; c < categorical.size(); c++) {
            Categorical cat = categorical.get(c);
            prefixes[c] = fnv(0xcbf29ce484222325L, (cat.name() + "=").getBytes(StandardCharsets.UTF_8));
            Map<String, Integer> m = new HashMap<>();
            if (hashBuckets == 0) {
                for (int k = 0; k < cat.vocabulary().size(); k++) {
                    m.put(cat.vocabulary().get(k), k);
                }
                offsets[c] = (int) total;
                total += cat.vocabulary().size() + 1;
            } else if (!cat.vocabulary().isEmpty()) {
                throw new IllegalArgumentException("click features: '" + JsonFields.printable(cat.name()) + "' has a vocabulary but ids are hashed");
            }
            lookups.add(m);
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("click features: " + total + " ids do not fit one table; hash them (--hash-buckets)");
        }
        rows = hashBuckets > 0 ? hashBuckets : (int) Math.max(1, total);
    }

    // ------------------------------------------------------------------ what it is

    public LogFormat source() {
        return source;
    }

    /** The label column of the training log. */
    public String label() {
        return label;
    }

    public List<Numeric> numeric() {
        return numeric;
    }

    public List<Categorical> categorical() {
        return categorical;
    }

    /** Hash buckets, or 0 with vocabularies. */
    public int hashBuckets() {
        return hashBuckets;
    }

    public int minCount() {
        return minCount;
    }

    /** Rows of the shared id table: the buckets, or every field's vocabulary plus its out-of-vocabulary id. */
    public int tableRows() {
        return rows;
    }

    /** Categorical fields, F. */
    public int fieldCount() {
        return categorical.size();
    }

    /** Numeric features, D. */
    public int numericCount() {
        return numeric.size();
    }

    /** The names of the categorical fields, in input order. */
    public List<String> fieldNames() {
        return categorical.stream().map(Categorical::name).toList();
    }

    /** The names of the numeric features, in input order. */
    public List<String> numericNames() {
        return numeric.stream().map(Numeric::name).toList();
    }

    @Override
    public String format() {
        return FORMAT;
    }

    /** The raw fields a row needs, in order. */
    @Override
    public List<String> fields() {
        return fields;
    }

    // ------------------------------------------------------------------ encoding

    /** The id of value {@code raw} of categorical field {@code c}, through its transform. */
    public int id(int c, String raw) {
        String v = categoryValue(categorical.get(c).transform(), raw);
        if (hashBuckets > 0) {
            return (int) Math.floorMod(hash(prefixes[c], v), (long) hashBuckets);
        }
        Integer k = lookups.get(c).get(v);
        return offsets[c] + (k == null ? categorical.get(c).vocabulary().size() : k);
    }

    /** Field c's id of a vocabulary value (as {@link Categorical#vocabulary()} lists it), or of its out-of-vocabulary id for null. */
    public int vocabularyId(int c, String value) {
        if (hashBuckets > 0) {
            throw new IllegalStateException("ids are hashed; there is no vocabulary");
        }
        Integer k = value == null ? null : lookups.get(c).get(value);
        return offsets[c] + (k == null ? categorical.get(c).vocabulary().size() : k);
    }

    /**
     * Writes one row's inputs: F ids at {@code ids[idAt…]} and D values at {@code x[xAt…]}; a
     * value that is not a number in a numeric field is an error naming the file, line and field.
     */
    public void encode(String[] values, Path file, int line, int[] ids, int idAt, float[] x, int xAt) {
        for (int i = 0; i < slot.length; i++) {
            int s = slot[i];
            String v = values[i];
            if (s >= 0) {
                Numeric n = numeric.get(s);
                float out = 0f;
                if (!missing(v)) {
                    double d = number(v, file, line, n.name());
                    out = (float) ((transform(n.transform(), d) - n.mean()) / n.std());
                }
                x[xAt + s] = out;
            } else {
                ids[idAt - 1 - s] = id(-1 - s, v);
            }
        }
    }

    /** The inputs of rows of raw values (each in {@link #fields()} order); {@code file} and {@code lines} name them in errors. */
    public Inputs encode(List<String[]> rows, Path file, int[] lines) {
        int n = rows.size();
        int f = fieldCount();
        int d = numericCount();
        int[] ids = new int[n * f];
        float[] x = new float[n * d];
        for (int r = 0; r < n; r++) {
            encode(rows.get(r), file, lines[r], ids, r * f, x, r * d);
        }
        return inputs(ids, x, n);
    }

    /** Inputs from encoded arrays of {@code n} rows. */
    public Inputs inputs(int[] ids, float[] x, int n) {
        Inputs in = null;
        if (fieldCount() > 0) {
            in = Inputs.of(IDS, IntTensor.of(ids, n, fieldCount()));
        }
        if (numericCount() > 0) {
            Tensor t = Tensor.wrap(x, n, numericCount());
            in = in == null ? Inputs.of(NUMERIC, t) : in.with(NUMERIC, t);
        }
        return in;
    }

    /** The rows of a table, looked up by column name: what the predictor and the server use. */
    @Override
    public Inputs encode(Csv.Table table) {
        int[] cols = new int[fields.size()];
        for (int i = 0; i < cols.length; i++) {
            cols[i] = table.column(fields.get(i));
        }
        List<String[]> rows = new ArrayList<>(table.rows().size());
        for (String[] r : table.rows()) {
            String[] v = new String[cols.length];
            for (int i = 0; i < cols.length; i++) {
                v[i] = r[cols[i]];
            }
            rows.add(v);
        }
        return encode(rows, table.file(), table.lines());
    }

    // ------------------------------------------------------------------ the transforms

    /** A numeric field's transform of a parsed value. */
    static double transform(Transform t, double v) {
        return t == Transform.LOG1P ? Math.signum(v) * Math.log1p(Math.abs(v)) : v;
    }

    /** A categorical field's value after its transform; missing is {@value #MISSING}. */
    static String categoryValue(Transform t, String raw) {
        if (missing(raw)) {
            return MISSING;
        }
        String v = raw.strip();
        if (t == Transform.CRITEO_BUCKET) {
            long n;
            try {
                n = Long.parseLong(v);
            } catch (NumberFormatException e) {
                return v;
            }
            return n <= 2 ? Long.toString(n) : "b" + (long) Math.floor(Math.pow(Math.log(n), 2));
        }
        return v;
    }

    /** Missing markers as {@link Csv#isMissing}, without allocating for ordinary values. */
    static boolean missing(String v) {
        int n = v.length();
        if (n == 0) {
            return true;
        }
        if (Character.isWhitespace(v.charAt(0)) || Character.isWhitespace(v.charAt(n - 1))) {
            return Csv.isMissing(v);
        }
        return n <= 4 && (v.equalsIgnoreCase("na") || v.equalsIgnoreCase("n/a") || v.equalsIgnoreCase("nan")
                || v.equalsIgnoreCase("null") || v.equals("?"));
    }

    /** A number from text; plain integers without the general parser. */
    static double number(String v, Path file, int line, String field) {
        int n = v.length();
        if (n > 0 && n < 18) {
            int i = v.charAt(0) == '-' ? 1 : 0;
            long acc = 0;
            boolean digits = i < n;
            for (int k = i; k < n && digits; k++) {
                char c = v.charAt(k);
                if (c < '0' || c > '9') {
                    digits = false;
                } else {
                    acc = acc * 10 + (c - '0');
                }
            }
            if (digits) {
                return i == 1 ? -acc : acc;
            }
        }
        try {
            double d = Double.parseDouble(v.strip());
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(file + " line " + line + ": '" + field + "' must be a number, got '" + v + "'");
    }

    private static long fnv(long h, byte[] bytes) {
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** FNV-1a continued from a field's prefix over the UTF-8 bytes of {@code value}. */
    static long hash(long prefix, String value) {
        long h = prefix;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                return fnv(h, value.substring(i).getBytes(StandardCharsets.UTF_8));
            }
            h ^= c;
            h *= 0x100000001b3L;
        }
        return h;
    }

    // ------------------------------------------------------------------ JSON

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("source", source.label());
        m.put("label", label);
        m.put("fields", new ArrayList<Object>(fields));
        Map<String, Object> ids = new LinkedHashMap<>();
        ids.put("hash_buckets", (long) hashBuckets);
        ids.put("min_count", (long) minCount);
        ids.put("table_rows", (long) rows);
        m.put("ids", ids);
        List<Object> nums = new ArrayList<>();
        for (Numeric n : numeric) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", n.name());
            o.put("transform", n.transform().label());
            o.put("mean", n.mean());
            o.put("std", n.std());
            nums.add(o);
        }
        m.put("numeric", nums);
        List<Object> cats = new ArrayList<>();
        for (Categorical c : categorical) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", c.name());
            o.put("transform", c.transform().label());
            o.put("vocabulary", new ArrayList<Object>(c.vocabulary()));
            cats.add(o);
        }
        m.put("categorical", cats);
        return m;
    }

    /** Reads {@link #toJson()}'s form; errors say what is wrong. */
    @SuppressWarnings("unchecked")
    public static ClickFeatures fromJson(Map<String, Object> m) {
        if (!FORMAT.equals(m.get("format"))) {
            throw new IllegalArgumentException("not " + FORMAT + " preprocessing (format " + org.omomi.io.JsonFields.describe(m.get("format")) + ")");
        }
        try {
            Map<String, Object> ids = (Map<String, Object>) m.get("ids");
            List<Numeric> nums = new ArrayList<>();
            for (Object o : (List<Object>) m.get("numeric")) {
                Map<String, Object> n = (Map<String, Object>) o;
                nums.add(new Numeric((String) n.get("name"), Transform.named((String) n.get("transform")),
                        ((Number) n.get("mean")).doubleValue(), ((Number) n.get("std")).doubleValue()));
            }
            List<Categorical> cats = new ArrayList<>();
            for (Object o : (List<Object>) m.get("categorical")) {
                Map<String, Object> c = (Map<String, Object>) o;
                cats.add(new Categorical((String) c.get("name"), Transform.named((String) c.get("transform")),
                        ((List<Object>) c.get("vocabulary")).stream().map(String::valueOf).toList()));
            }
            return new ClickFeatures(LogFormat.named((String) m.get("source")), (String) m.get("label"),
                    ((List<Object>) m.get("fields")).stream().map(String::valueOf).toList(), nums, cats,
                    ((Number) ids.get("hash_buckets")).intValue(), ((Number) ids.get("min_count")).intValue());
        } catch (ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException(FORMAT + " preprocessing is missing a field or has one of the wrong kind");
        }
    }

    /** Finds {@value #FORMAT} for {@link Preprocessing#fromJson} (registered in META-INF/services). */
    public static final class Reader implements Preprocessing.Reader {
        @Override
        public String format() {
            return FORMAT;
        }

        @Override
        public Preprocessing read(Map<String, Object> json) {
            return fromJson(json);
        }
    }
}
