package org.omomi.ctr;

import java.util.Locale;

/**
 * The layouts of a click log on disk.
 *
 * <ul>
 * <li>{@link #CSV}: a header row, then one impression a row; a 0/1 label column (default
 *     {@code click}), numeric and categorical columns, RFC 4180 quoting ({@link org.omomi.data.Csv}).</li>
 * <li>{@link #CRITEO}: Criteo's display-advertising layout, no header, tab-separated: the label,
 *     13 integer features {@code I1…I13}, 26 categorical features {@code C1…C26} (hashed values,
 *     usually 8 hex digits); an empty field is missing. For prediction the label column may be
 *     left out (39 fields instead of 40).</li>
 * </ul>
 */
public enum LogFormat {
    CSV, CRITEO;

    /** Integer features of the Criteo layout. */
    public static final int CRITEO_INTEGERS = 13;
    /** Categorical features of the Criteo layout. */
    public static final int CRITEO_CATEGORIES = 26;

    /** The command line's name: csv or criteo. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads csv or criteo; errors list both. */
    public static LogFormat named(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "csv": return CSV;
            case "criteo": case "tsv": return CRITEO;
            default: throw new IllegalArgumentException("unknown log format '" + name + "'; use csv or criteo");
        }
    }

    /** The Criteo layout's feature names, I1…I13 then C1…C26. */
    public static java.util.List<String> criteoFields() {
        java.util.List<String> f = new java.util.ArrayList<>();
        for (int i = 1; i <= CRITEO_INTEGERS; i++) {
            f.add("I" + i);
        }
        for (int i = 1; i <= CRITEO_CATEGORIES; i++) {
            f.add("C" + i);
        }
        return java.util.List.copyOf(f);
    }
}
