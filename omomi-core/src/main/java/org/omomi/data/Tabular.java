package org.omomi.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.omomi.io.JsonFields;
import org.omomi.tensor.Inputs;
import org.omomi.tensor.IntTensor;
import org.omomi.tensor.Tensor;

/**
 * Turns CSV columns into model inputs, with every choice learned from the training rows only and
 * saved beside the model, so evaluation and prediction see exactly the same transformation.
 *
 * <ul>
 * <li><b>Column kinds.</b> A column is numeric when at least half of its non-missing training
 *     values are numbers; a value that is not a number in a numeric column is then an error naming
 *     the file, line and column. Other columns are categorical.</li>
 * <li><b>Categorical columns</b> become one-hot columns, one per category seen in training
 *     (sorted); a category first seen after training gets all zeros. With {@link Encoding#INDEX}
 *     they become integer ids for an embedding instead (input {@value #IDS}, [N, categorical
 *     columns], the numeric columns staying in {@value #DENSE}): each column has a vocabulary of
 *     the categories seen at least {@code minCount} times in training and one out-of-vocabulary id
 *     for everything else, and the columns' ids share one table (column c's ids start after column
 *     c − 1's). With {@code hashBuckets} > 0 there is no vocabulary: a category's id is a 64-bit
 *     FNV-1a hash of "column=value" modulo the buckets (the column name in the key, so equal
 *     values of two columns land apart), the hashing trick.</li>
 * <li><b>Missing values</b> (empty, NA, N/A, NaN, null, ?): in a numeric column, the training mean;
 *     in a categorical one, a category of their own, {@code (missing)}. A missing target is an
 *     error.</li>
 * <li><b>Standardization</b> ({@code scale = true}): (x − mean) / std per numeric column, with the
 *     mean and population standard deviation of the training rows (std 0 is taken as 1).</li>
 * <li><b>Task.</b> Unless given: classification when the target is not numeric, or holds at most
 *     20 distinct whole numbers; regression otherwise. Classes are sorted (numerically when they
 *     are numbers) and the target becomes the class index.</li>
 * </ul>
 */
public final class Tabular implements Preprocessing {

    public enum Task { CLASSIFICATION, REGRESSION }

    public enum Encoding { ONE_HOT, INDEX }

    static final String MISSING = "(missing)";

    /** The name of the float input with the numeric columns. */
    public static final String DENSE = org.omomi.tensor.Inputs.DEFAULT;

    /** The name of the id input with the categorical columns ({@link Encoding#INDEX}). */
    public static final String IDS = "ids";

    /** One input column and what was learned about it. */
    record Feature(String name, boolean numeric, double fill, double mean, double std, List<String> categories) {}

    /** How categories become ids ({@link Encoding#INDEX}): a vocabulary of categories seen {@code minCount} times, or hashing into buckets. */
    public record Ids(int minCount, int hashBuckets) {
        public Ids {
            if (minCount < 1 || hashBuckets < 0) {
                throw new IllegalArgumentException("ids: the minimum count must be ≥ 1 and the hash buckets ≥ 0, got " + minCount + " and " + hashBuckets);
            }
        }

        /** Every training category gets an id. */
        public static Ids vocabulary() {
            return new Ids(1, 0);
        }
    }

    private final List<Feature> features;
    private final String target;
    private final Task task;
    private final List<String> classes;
    private final boolean scale;
    private final Encoding encoding;
    private final Ids ids;

    private Tabular(List<Feature> features, String target, Task task, List<String> classes, boolean scale, Encoding encoding, Ids ids) {
        this.features = List.copyOf(features);
        this.target = target;
        this.task = task;
        this.classes = classes == null ? List.of() : List.copyOf(classes);
        this.scale = scale;
        this.encoding = encoding;
        this.ids = ids;
    }

    /** {@link #fit(Csv.Table, String, Task, boolean, Encoding, Set, Ids)} with every training category in the vocabulary. */
    public static Tabular fit(Csv.Table train, String target, Task task, boolean scale, Encoding encoding, Set<String> categorical) {
        return fit(train, target, task, scale, encoding, categorical, Ids.vocabulary());
    }

    /**
     * Learns the transformation from training rows. {@code task} may be null (inferred);
     * {@code categorical} names columns to treat as categorical whatever they hold.
     */
    public static Tabular fit(Csv.Table train, String target, Task task, boolean scale, Encoding encoding, Set<String> categorical,
                              Ids ids) {
        int t = train.column(target);
        if (train.rows().isEmpty()) {
            throw new IllegalArgumentException(train.file() + ": no rows to train on");
        }
        for (String c : categorical) {
            train.column(c);
        }
        List<Feature> features = new ArrayList<>();
        for (int c = 0; c < train.header().size(); c++) {
            if (c == t) {
                continue;
            }
            String name = train.header().get(c);
            double[] values = categorical.contains(name) ? null : parsedColumn(train, c); // each cell parsed once; NaN where missing
            if (values != null && mostlyNumeric(train, c, values)) {
                int rows = train.rows().size();
                double sum = 0;
                int n = 0;
                for (int r = 0; r < rows; r++) {
                    if (Double.isNaN(values[r])) {
                        if (!Csv.isMissing(train.rows().get(r)[c])) {
                            number(train, r, c); // says which cell is not a number
                        }
                    } else {
                        sum += values[r];
                        n++;
                    }
                }
                double mean = n == 0 ? 0 : sum / n;
                double ss = 0;
                for (int r = 0; r < rows; r++) {
                    double x = Double.isNaN(values[r]) ? mean : values[r];
                    ss += (x - mean) * (x - mean);
                }
                double std = Math.sqrt(ss / train.rows().size());
                features.add(new Feature(name, true, mean, mean, std == 0 || !Double.isFinite(std) ? 1 : std, List.of()));
            } else {
                Map<String, Integer> counts = new HashMap<>();
                for (String[] row : train.rows()) {
                    counts.merge(Csv.isMissing(row[c]) ? MISSING : row[c].strip(), 1, Integer::sum);
                }
                Set<String> cats = new TreeSet<>();
                int min = encoding == Encoding.INDEX ? ids.minCount() : 1;
                counts.forEach((k, n) -> {
                    if (n >= min) {
                        cats.add(k);
                    }
                });
                boolean hashed = encoding == Encoding.INDEX && ids.hashBuckets() > 0;
                features.add(new Feature(name, false, 0, 0, 1, hashed ? List.of() : new ArrayList<>(cats)));
            }
        }
        Task resolved = task != null ? task : inferTask(train, t);
        List<String> classes = null;
        if (resolved == Task.CLASSIFICATION) {
            Set<String> seen = new LinkedHashSet<>();
            for (int r = 0; r < train.rows().size(); r++) {
                seen.add(targetValue(train, r, t));
            }
            classes = new ArrayList<>(seen);
            boolean allNumbers = classes.stream().allMatch(Tabular::isNumber);
            classes.sort(allNumbers ? Comparator.comparingDouble(Double::parseDouble) : Comparator.naturalOrder());
            if (classes.size() < 2) {
                throw new IllegalArgumentException(train.file() + ": target '" + target + "' has only the class " + classes
                        + "; classification needs at least two");
            }
        } else {
            for (int r = 0; r < train.rows().size(); r++) {
                targetNumber(train, r, t);
            }
        }
        return new Tabular(features, target, resolved, classes, scale, encoding, ids);
    }

    /** A column's numbers, NaN where a cell is missing or holds no number. */
    private static double[] parsedColumn(Csv.Table table, int c) {
        List<String[]> rows = table.rows();
        double[] out = new double[rows.size()];
        for (int r = 0; r < out.length; r++) {
            String v = rows.get(r)[c];
            out[r] = Csv.isMissing(v) ? Double.NaN : parse(v);
        }
        return out;
    }

    /** Whether at least half of a column's present cells are numbers ({@code parsed}: {@link #parsedColumn}). */
    private static boolean mostlyNumeric(Csv.Table table, int c, double[] parsed) {
        int numbers = 0;
        int present = 0;
        for (int r = 0; r < parsed.length; r++) {
            if (!Double.isNaN(parsed[r])) {
                numbers++;
                present++;
            } else if (!Csv.isMissing(table.rows().get(r)[c])) {
                present++;
            }
        }
        return present > 0 && numbers * 2 >= present;
    }

    private static Task inferTask(Csv.Table table, int t) {
        Set<Double> distinct = new HashSet<>();
        for (int r = 0; r < table.rows().size(); r++) {
            String v = targetValue(table, r, t);
            double d = parse(v);
            if (Double.isNaN(d)) {
                return Task.CLASSIFICATION;
            }
            if (d != Math.rint(d)) {
                return Task.REGRESSION;
            }
            distinct.add(d);
        }
        return distinct.size() <= 20 ? Task.CLASSIFICATION : Task.REGRESSION;
    }

    static boolean isNumber(String s) {
        return !Double.isNaN(parse(s));
    }

    /**
     * The finite number a cell holds, or NaN when it holds none (a category such as "mobile",
     * "Infinity", "NaN", Java's "1d"): one parse per cell, where checking and then parsing took two.
     */
    static double parse(String s) {
        String f = s.strip();
        if (f.isEmpty()) {
            return Double.NaN;
        }
        char c = f.charAt(0);
        if (!(c >= '0' && c <= '9') && c != '-' && c != '+' && c != '.') {
            return Double.NaN; // no exception to build for a category (this runs per cell)
        }
        char last = f.charAt(f.length() - 1);
        if (last == 'd' || last == 'f' || last == 'D' || last == 'F') {
            return Double.NaN;
        }
        try {
            double d = Double.parseDouble(f);
            return Double.isFinite(d) ? d : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static double number(Csv.Table table, int r, int c) {
        String v = table.rows().get(r)[c];
        double d = parse(v);
        if (Double.isNaN(d)) {
            throw new IllegalArgumentException(table.file() + " line " + table.lines()[r] + ", column '" + table.header().get(c)
                    + "': '" + v + "' is not a number (the column is numeric)");
        }
        return d;
    }

    private static String targetValue(Csv.Table table, int r, int t) {
        String v = table.rows().get(r)[t];
        if (Csv.isMissing(v)) {
            throw new IllegalArgumentException(table.file() + " line " + table.lines()[r] + ", column '" + table.header().get(t)
                    + "': the target is missing");
        }
        return v.strip();
    }

    private static double targetNumber(Csv.Table table, int r, int t) {
        targetValue(table, r, t);
        return number(table, r, t);
    }

    // ------------------------------------------------------------------ applying

    /**
     * The model input's columns, in order: with one-hot encoding the file's columns, a categorical
     * one as one column per category ("device=mobile"); with ids the numeric columns (the float
     * input), then the categorical ones (the id input).
     */
    public List<String> inputNames() {
        List<String> names = new ArrayList<>();
        for (Feature f : features) {
            if (f.numeric()) {
                names.add(f.name());
            } else if (encoding == Encoding.ONE_HOT) {
                for (String c : f.categories()) {
                    names.add(f.name() + "=" + c);
                }
            }
        }
        names.addAll(idColumns());
        return names;
    }

    /**
     * For each column of {@link #inputNames()}, the file's column it comes from: a one-hot column
     * "device=mobile" comes from "device"; others are their own. What explanations sum over, so a
     * categorical column is judged as one feature, whatever its encoding.
     */
    public List<String> inputFeatures() {
        List<String> out = new ArrayList<>();
        for (Feature f : features) {
            if (f.numeric()) {
                out.add(f.name());
            } else if (encoding == Encoding.ONE_HOT) {
                for (int k = 0; k < f.categories().size(); k++) {
                    out.add(f.name());
                }
            }
        }
        out.addAll(idColumns());
        return out;
    }

    /** Values of the float input per row: every input column with one-hot encoding, the numeric ones with ids. */
    public int inputSize() {
        if (encoding == Encoding.INDEX) {
            return (int) features.stream().filter(Feature::numeric).count();
        }
        return inputNames().size();
    }

    /** The categorical columns that become ids ({@link Encoding#INDEX}), in order. */
    public List<String> idColumns() {
        return encoding == Encoding.INDEX ? features.stream().filter(f -> !f.numeric()).map(Feature::name).toList() : List.of();
    }

    /** The size of the shared id table ({@link Encoding#INDEX}): the hash buckets, or each vocabulary plus its out-of-vocabulary id. */
    public int idCount() {
        if (encoding != Encoding.INDEX) {
            return 0;
        }
        if (ids.hashBuckets() > 0) {
            return ids.hashBuckets();
        }
        int n = 0;
        for (Feature f : features) {
            if (!f.numeric()) {
                n += f.categories().size() + 1;
            }
        }
        return n;
    }

    /** The encoding of categorical columns. */
    public Encoding encoding() {
        return encoding;
    }

    /** The matrix of the float input [rows, inputSize()] of a table with the training columns (the target may be absent). */
    public Tensor features(Csv.Table table) {
        int[] cols = columns(table);
        int width = inputSize();
        int rows = table.rows().size();
        float[] x = new float[rows * width];
        List<Map<String, Integer>> lookups = lookups();
        for (int r = 0; r < rows; r++) {
            String[] row = table.rows().get(r);
            int at = r * width;
            for (int i = 0; i < features.size(); i++) {
                Feature f = features.get(i);
                String v = row[cols[i]];
                if (f.numeric()) {
                    double d = Csv.isMissing(v) ? f.fill() : number(table, r, cols[i]);
                    x[at++] = (float) (scale ? (d - f.mean()) / f.std() : d);
                } else if (encoding == Encoding.ONE_HOT) {
                    Integer k = lookups.get(i).get(Csv.isMissing(v) ? MISSING : v.strip());
                    if (k != null) {
                        x[at + k] = 1f;
                    }
                    at += f.categories().size();
                }
            }
        }
        return Tensor.wrap(x, rows, width);
    }

    /** The id input [rows, idColumns()] of a table ({@link Encoding#INDEX}). */
    public IntTensor ids(Csv.Table table) {
        if (encoding != Encoding.INDEX) {
            throw new IllegalStateException("categorical columns are one-hot encoded, not ids");
        }
        int[] cols = columns(table);
        List<Map<String, Integer>> lookups = lookups();
        int fields = idColumns().size();
        int rows = table.rows().size();
        int[] out = new int[rows * fields];
        for (int r = 0; r < rows; r++) {
            String[] row = table.rows().get(r);
            int at = r * fields;
            int offset = 0;
            for (int i = 0; i < features.size(); i++) {
                Feature f = features.get(i);
                if (f.numeric()) {
                    continue;
                }
                String v = Csv.isMissing(row[cols[i]]) ? MISSING : row[cols[i]].strip();
                if (ids.hashBuckets() > 0) {
                    out[at++] = hashedId(f.name(), v, ids.hashBuckets());
                } else {
                    Integer k = lookups.get(i).get(v);
                    out[at++] = offset + (k == null ? f.categories().size() : k); // unseen or rare: the column's OOV id
                    offset += f.categories().size() + 1;
                }
            }
        }
        return IntTensor.of(out, rows, fields);
    }

    /**
     * The hashing trick's id of a column's value: 64-bit FNV-1a of the UTF-8 bytes of
     * "column=value", modulo {@code buckets}. Stable across runs, machines and JDKs.
     */
    public static int hashedId(String column, String value, int buckets) {
        long h = 0xcbf29ce484222325L;
        for (byte b : (column + "=" + value).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return (int) Math.floorMod(h, (long) buckets);
    }

    @Override
    public String format() {
        return "omomi.tabular/1";
    }

    /** The input columns a row needs (the training columns but the target), in file order. */
    @Override
    public List<String> fields() {
        return features.stream().map(Feature::name).toList();
    }

    /** The model inputs of a table: {@value #DENSE} (float columns) and, with ids, {@value #IDS}. */
    @Override
    public Inputs encode(Csv.Table table) {
        if (encoding == Encoding.ONE_HOT) {
            return Inputs.of(DENSE, features(table));
        }
        Inputs in = null;
        if (inputSize() > 0) {
            in = Inputs.of(DENSE, features(table));
        }
        if (!idColumns().isEmpty()) {
            in = in == null ? Inputs.of(IDS, ids(table)) : in.with(IDS, ids(table));
        }
        if (in == null) {
            throw new IllegalArgumentException(table.file() + ": no input columns besides the target");
        }
        return in;
    }

    private int[] columns(Csv.Table table) {
        int[] cols = new int[features.size()];
        for (int i = 0; i < cols.length; i++) {
            cols[i] = table.column(features.get(i).name());
        }
        return cols;
    }

    private List<Map<String, Integer>> lookups() {
        List<Map<String, Integer>> lookups = new ArrayList<>();
        for (Feature f : features) {
            Map<String, Integer> m = new HashMap<>();
            for (int k = 0; k < f.categories().size(); k++) {
                m.put(f.categories().get(k), k);
            }
            lookups.add(m);
        }
        return lookups;
    }

    /** The targets: class indices [rows] for classification, values [rows, 1] for regression. */
    public Tensor targets(Csv.Table table) {
        int t = table.column(target);
        int rows = table.rows().size();
        float[] y = new float[rows];
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < classes.size(); k++) {
            index.put(classes.get(k), k);
        }
        boolean numericClasses = classes.stream().allMatch(Tabular::isNumber);
        for (int r = 0; r < rows; r++) {
            if (task == Task.REGRESSION) {
                y[r] = (float) targetNumber(table, r, t);
                continue;
            }
            String v = targetValue(table, r, t);
            Integer k = index.get(v);
            if (k == null && numericClasses && isNumber(v)) {
                for (int c = 0; c < classes.size() && k == null; c++) { // "1.0" and "1" are the same class
                    if (Double.parseDouble(classes.get(c)) == Double.parseDouble(v)) {
                        k = c;
                    }
                }
            }
            if (k == null) {
                throw new IllegalArgumentException(table.file() + " line " + table.lines()[r] + ", column '" + target
                        + "': class '" + v + "' was not in the training data " + classes);
            }
            y[r] = k;
        }
        return task == Task.REGRESSION ? Tensor.wrap(y, rows, 1) : Tensor.wrap(y, rows);
    }

    /** Inputs and targets of a table: a {@link TensorDataset} with one-hot encoding, an {@link InputsDataset} with ids. */
    public Dataset dataset(Csv.Table table) {
        return encoding == Encoding.ONE_HOT ? new TensorDataset(features(table), targets(table))
                : new InputsDataset(encode(table), targets(table));
    }

    public Task task() {
        return task;
    }

    public List<String> classes() {
        return classes;
    }

    public String target() {
        return target;
    }

    // ------------------------------------------------------------------ saving

    /** A JSON-ready description (format {@code omomi.tabular/1}). */
    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "omomi.tabular/1");
        m.put("target", target);
        m.put("task", task.name().toLowerCase(Locale.ROOT));
        if (task == Task.CLASSIFICATION) {
            m.put("classes", classes);
        }
        m.put("scale", scale ? "standard" : "none");
        m.put("categorical_encoding", encoding == Encoding.ONE_HOT ? "onehot" : "index");
        if (encoding == Encoding.INDEX) {
            m.put("min_count", (long) ids.minCount());
            m.put("hash_buckets", (long) ids.hashBuckets());
        }
        m.put("missing_values", "numeric: training mean; categorical: the category '" + MISSING + "'");
        List<Object> fs = new ArrayList<>();
        for (Feature f : features) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("name", f.name());
            fm.put("kind", f.numeric() ? "numeric" : "categorical");
            if (f.numeric()) {
                fm.put("fill", f.fill());
                fm.put("mean", f.mean());
                fm.put("std", f.std());
            } else {
                fm.put("categories", f.categories());
            }
            fs.add(fm);
        }
        m.put("features", fs);
        return m;
    }

    /** Reads {@link #toJson()}; a missing or wrong key is an error naming it (and the feature). */
    public static Tabular fromJson(Map<String, Object> m) {
        if (!"omomi.tabular/1".equals(m.get("format"))) {
            throw new IllegalArgumentException("not an omomi.tabular/1 description (format " + JsonFields.describe(m.get("format")) + ")");
        }
        List<Feature> fs = new ArrayList<>();
        List<Map<String, Object>> features = JsonFields.objects(m, "features");
        for (int i = 0; i < features.size(); i++) {
            Map<String, Object> f = features.get(i);
            try {
                boolean numeric = "numeric".equals(f.get("kind"));
                String name = JsonFields.string(f, "name");
                fs.add(numeric
                        ? new Feature(name, true, JsonFields.number(f, "fill"), JsonFields.number(f, "mean"), JsonFields.number(f, "std"), List.of())
                        : new Feature(name, false, 0, 0, 1, JsonFields.strings(f, "categories")));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("feature " + i + ": " + e.getMessage(), e);
            }
        }
        String taskName = JsonFields.string(m, "task");
        Task task = Arrays.stream(Task.values()).filter(t -> t.name().equalsIgnoreCase(taskName)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("'task' must be classification or regression, found " + JsonFields.describe(taskName)));
        List<String> classes = task == Task.CLASSIFICATION ? JsonFields.strings(m, "classes") : List.of();
        Ids ids = Ids.vocabulary();
        if (m.get("min_count") != null) {
            ids = new Ids((int) JsonFields.whole(m, "min_count", 1, Integer.MAX_VALUE),
                    (int) JsonFields.whole(m, "hash_buckets", 0, Integer.MAX_VALUE, 0));
        }
        return new Tabular(fs, JsonFields.string(m, "target"), task, classes, "standard".equals(m.get("scale")),
                "index".equals(m.get("categorical_encoding")) ? Encoding.INDEX : Encoding.ONE_HOT, ids);
    }
}
