package org.omomi.segment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.omomi.data.Csv;
import org.omomi.tensor.Tensor;

/**
 * Which columns of a customer CSV are the id, numeric features and categorical features, learned
 * from the table the segments are fitted on and saved with them, so that new customers are read
 * the same way.
 *
 * <ul>
 * <li><b>Id.</b> The column named by the caller, or else the first column when its name is
 *     {@code id} or ends in {@code id} (any case: {@code customer_id}, {@code CustomerID}). Ids
 *     must be unique. Without one, customers are known by their 1-based row number.</li>
 * <li><b>Kinds.</b> A column is numeric when at least half of its non-missing values are numbers;
 *     then a value that is not a number is an error naming the file, line and column. Other
 *     columns, and those named categorical, are categorical: one 0/1 indicator column per category
 *     (sorted), at most {@value #MAX_CATEGORIES}; a category seen only later gets all zeros.</li>
 * <li><b>Missing values</b> (empty, NA, N/A, NaN, null, ?): the column's mean in a numeric column,
 *     a category of their own, {@code (missing)}, in a categorical one.</li>
 * </ul>
 */
public final class Schema {

    /** More categories than this in one column is an error: it is more likely an id or free text. */
    public static final int MAX_CATEGORIES = 100;

    static final String MISSING = "(missing)";

    /** One input column and what was learned about it. */
    record Column(String name, boolean numeric, double fill, List<String> categories) {}

    private final String id;
    private final List<Column> columns;

    private Schema(String id, List<Column> columns) {
        this.id = id;
        this.columns = List.copyOf(columns);
    }

    /**
     * Learns the columns of {@code table}. {@code id} may be null (found as described above);
     * {@code ignore} names columns that are no features (a label column, say); {@code categorical}
     * names columns to treat as categorical whatever they hold.
     */
    public static Schema fit(Csv.Table table, String id, Set<String> ignore, Set<String> categorical) {
        if (table.rows().isEmpty()) {
            throw new IllegalArgumentException(table.file() + ": no customers (only a header)");
        }
        for (String c : ignore) {
            table.column(c);
        }
        for (String c : categorical) {
            table.column(c);
        }
        String idColumn = id;
        if (idColumn != null) {
            table.column(idColumn);
        } else {
            String first = table.header().get(0).toLowerCase(Locale.ROOT);
            if (first.endsWith("id") && !ignore.contains(table.header().get(0))) {
                idColumn = table.header().get(0);
            }
        }
        List<Column> columns = new ArrayList<>();
        for (int c = 0; c < table.header().size(); c++) {
            String name = table.header().get(c);
            if (name.equals(idColumn) || ignore.contains(name)) {
                continue;
            }
            if (!categorical.contains(name) && mostlyNumeric(table, c)) {
                double sum = 0;
                int n = 0;
                for (int r = 0; r < table.rows().size(); r++) {
                    String v = table.rows().get(r)[c];
                    if (!Csv.isMissing(v)) {
                        sum += number(table, r, c);
                        n++;
                    }
                }
                columns.add(new Column(name, true, n == 0 ? 0 : sum / n, List.of()));
            } else {
                TreeSet<String> cats = new TreeSet<>();
                for (String[] row : table.rows()) {
                    cats.add(category(row[c]));
                }
                if (cats.size() > MAX_CATEGORIES) {
                    throw new IllegalArgumentException(table.file() + ", column '" + printable(name) + "': " + cats.size()
                            + " different values is too many for a categorical feature (at most " + MAX_CATEGORIES
                            + "); if it is an id, name it as the id, or leave it out");
                }
                columns.add(new Column(name, false, 0, new ArrayList<>(cats)));
            }
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException(table.file() + ": no feature columns left to segment on");
        }
        Schema s = new Schema(idColumn, columns);
        s.ids(table); // unique ids, checked now
        return s;
    }

    /** The id column, or null when customers are known by row number. */
    public String idColumn() {
        return id;
    }

    /** The names of the encoded features: numeric columns, then {@code column=category} indicators, in column order. */
    public List<String> features() {
        List<String> out = new ArrayList<>();
        for (Column c : columns) {
            if (c.numeric()) {
                out.add(c.name());
            } else {
                for (String cat : c.categories()) {
                    out.add(c.name() + "=" + cat);
                }
            }
        }
        return out;
    }

    /** For each feature, whether it is a 0/1 indicator of a category. */
    public boolean[] indicators() {
        List<Boolean> out = new ArrayList<>();
        for (Column c : columns) {
            if (c.numeric()) {
                out.add(false);
            } else {
                c.categories().forEach(x -> out.add(true));
            }
        }
        boolean[] b = new boolean[out.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = out.get(i);
        }
        return b;
    }

    /** For each feature, the column it comes from. */
    public List<String> sourceColumns() {
        List<String> out = new ArrayList<>();
        for (Column c : columns) {
            int times = c.numeric() ? 1 : c.categories().size();
            for (int i = 0; i < times; i++) {
                out.add(c.name());
            }
        }
        return out;
    }

    /** The table's rows as numbers; errors name the file, line and column. */
    public Customers encode(Csv.Table table) {
        int[] at = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            at[c] = table.column(columns.get(c).name());
        }
        List<String> names = features();
        int n = table.rows().size();
        int d = names.size();
        float[] v = new float[n * d];
        for (int r = 0; r < n; r++) {
            String[] row = table.rows().get(r);
            int j = 0;
            for (int c = 0; c < columns.size(); c++) {
                Column col = columns.get(c);
                if (col.numeric()) {
                    String s = row[at[c]];
                    v[r * d + j++] = (float) (Csv.isMissing(s) ? col.fill() : number(table, r, at[c]));
                } else {
                    String cat = category(row[at[c]]);
                    for (String known : col.categories()) {
                        v[r * d + j++] = known.equals(cat) ? 1f : 0f;
                    }
                }
            }
        }
        return new Customers(ids(table), names, Tensor.wrap(v, n, d), table.lines().clone());
    }

    /** The ids of the table's rows (row numbers from 1 without an id column); duplicates are an error. */
    List<String> ids(Csv.Table table) {
        List<String> out = new ArrayList<>(table.rows().size());
        if (id == null) {
            for (int r = 0; r < table.rows().size(); r++) {
                out.add(Integer.toString(r + 1));
            }
            return out;
        }
        int c = table.column(id);
        Map<String, Integer> seen = new HashMap<>();
        for (int r = 0; r < table.rows().size(); r++) {
            String v = table.rows().get(r)[c].strip();
            if (v.isEmpty()) {
                throw new IllegalArgumentException(table.file() + " line " + table.lines()[r] + ", column '" + printable(id) + "': the id is empty");
            }
            Integer before = seen.putIfAbsent(v, table.lines()[r]);
            if (before != null) {
                throw new IllegalArgumentException(table.file() + " line " + table.lines()[r] + ", column '" + printable(id) + "': id '"
                        + printable(v) + "' also appears on line " + before);
            }
            out.add(v);
        }
        return out;
    }

    /** Text from the table as a message quotes it: control characters escaped, cut after 80 characters. */
    private static String printable(String s) {
        return org.omomi.io.JsonFields.printable(s);
    }

    private static String category(String v) {
        return Csv.isMissing(v) ? MISSING : v.strip();
    }

    private static boolean mostlyNumeric(Csv.Table table, int c) {
        int numbers = 0;
        int present = 0;
        for (String[] row : table.rows()) {
            if (!Csv.isMissing(row[c])) {
                present++;
                if (isNumber(row[c])) {
                    numbers++;
                }
            }
        }
        return present > 0 && numbers * 2 >= present;
    }

    static boolean isNumber(String s) {
        String f = s.strip();
        if (f.isEmpty()) {
            return false;
        }
        char last = f.charAt(f.length() - 1);
        if (last == 'd' || last == 'D' || last == 'f' || last == 'F') {
            return false; // Java's suffixes are no number in a CSV file
        }
        try {
            return Double.isFinite(Double.parseDouble(f));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static double number(Csv.Table table, int r, int c) {
        String v = table.rows().get(r)[c];
        if (!isNumber(v)) {
            throw new IllegalArgumentException(table.file() + " line " + table.lines()[r] + ", column '"
                    + org.omomi.io.JsonFields.printable(table.header().get(c)) + "': '" + org.omomi.io.JsonFields.printable(v)
                    + "' is not a number (the column is numeric)");
        }
        return Double.parseDouble(v.strip());
    }

    // ------------------------------------------------------------------ JSON

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        List<Object> cols = new ArrayList<>();
        for (Column c : columns) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", c.name());
            o.put("kind", c.numeric() ? "numeric" : "categorical");
            if (c.numeric()) {
                o.put("fill", c.fill());
            } else {
                o.put("categories", c.categories());
            }
            cols.add(o);
        }
        m.put("columns", cols);
        return m;
    }

    public static Schema fromJson(Map<String, Object> json) {
        Object id = json.get("id");
        List<Column> cols = new ArrayList<>();
        List<?> listed = JsonFields.list(json, "columns");
        for (int i = 0; i < listed.size(); i++) {
            if (!(listed.get(i) instanceof Map<?, ?>)) {
                throw new IllegalArgumentException("'columns'[" + i + "] must be an object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> c = (Map<String, Object>) listed.get(i);
            boolean numeric = JsonFields.string(c, "kind").equals("numeric");
            cols.add(new Column(JsonFields.string(c, "name"), numeric, numeric ? JsonFields.number(c, "fill") : 0,
                    numeric ? List.of() : List.copyOf(JsonFields.strings(c, "categories"))));
        }
        return new Schema(id instanceof String s ? s : null, cols);
    }
}
