package org.omomi.recommend;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.omomi.data.Csv;
import org.omomi.io.JsonFields;

/**
 * Reads interaction files, one row at a time, in the layouts people have:
 * <ul>
 * <li>{@code csv}: a header naming the columns {@code user} and {@code item} (or MovieLens's
 *     {@code userId} and {@code movieId}), optionally {@code rating} (1 when absent: implicit
 *     feedback) and {@code timestamp}. MovieLens's ml-latest {@code ratings.csv}
 *     ({@code userId,movieId,rating,timestamp}) is this layout.</li>
 * <li>{@code ml-100k}: MovieLens 100K's {@code u.data}: no header, tab-separated
 *     {@code user item rating timestamp}.</li>
 * </ul>
 * A timestamp is a whole number (MovieLens: seconds since 1970). Errors name the file and the line.
 */
public final class InteractionFile {

    /** The layout of an interaction file. */
    public enum Layout {
        CSV, ML_100K;

        /** {@code csv}, {@code ml-100k} or {@code auto} (by the file: see {@link #detect}); null means auto. */
        public static Layout parse(String name, Path file) throws IOException {
            if (name == null || name.equals("auto")) {
                return detect(file);
            }
            switch (name.toLowerCase(Locale.ROOT)) {
                case "csv":
                case "ml-latest":
                    return CSV;
                case "ml-100k":
                    return ML_100K;
                default:
                    throw new IllegalArgumentException("unknown interaction format '" + name + "'; use csv, ml-100k, ml-latest or auto");
            }
        }
    }

    /** One row as read: raw ids, the rating, the timestamp or {@link Interactions#NO_TIME}, and the line. */
    @FunctionalInterface
    public interface RowHandler {
        void row(String user, String item, float rating, long time, int line);
    }

    private static final List<String> USER = List.of("user", "userId", "user_id");
    private static final List<String> ITEM = List.of("item", "itemId", "item_id", "movieId");
    private static final List<String> TIME = List.of("timestamp", "time");

    private InteractionFile() {}

    /** ml-100k for a file named {@code u.data} or whose first line has a tab; csv otherwise. */
    public static Layout detect(Path file) throws IOException {
        if (file.getFileName() != null && file.getFileName().toString().equals("u.data")) {
            return Layout.ML_100K;
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String first = r.readLine();
            return first != null && first.indexOf('\t') >= 0 ? Layout.ML_100K : Layout.CSV;
        }
    }

    /** Every interaction of a file, indexed ({@link Interactions}). */
    public static Interactions read(Path file, Layout layout) throws IOException {
        Interactions.Builder b = new Interactions.Builder();
        forEach(file, layout, (u, i, r, t, line) -> b.add(u, i, r, t));
        if (b.size() == 0) {
            throw new IllegalArgumentException(file + ": no interactions");
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    /** Hands every row to {@code handler}, in file order. */
    public static void forEach(Path file, Layout layout, RowHandler handler) throws IOException {
        if (layout == Layout.ML_100K) {
            readTabs(file, handler);
        } else {
            readCsv(file, handler);
        }
    }

    private static void readCsv(Path file, RowHandler handler) throws IOException {
        try (Csv.Reader r = Csv.stream(file)) {
            List<String> header = r.header();
            int u = find(file, header, USER, true);
            int i = find(file, header, ITEM, true);
            int rating = header.indexOf("rating");
            int t = find(file, header, TIME, false);
            Boolean timed = null;
            for (Csv.Row row = r.next(); row != null; row = r.next()) {
                String[] f = row.fields();
                String user = id(file, row.line(), "user", f[u]);
                String item = id(file, row.line(), "item", f[i]);
                float value = rating < 0 ? 1f : rating(file, row.line(), f[rating]);
                long time = t < 0 ? Interactions.NO_TIME : timestamp(file, row.line(), f[t]);
                handler.row(user, item, value, time, row.line());
            }
        }
    }

    private static void readTabs(Path file, RowHandler handler) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int line = 0;
            for (String s = r.readLine(); s != null; s = r.readLine()) {
                line++;
                if (s.isBlank()) {
                    continue;
                }
                String[] f = s.split("\t", -1);
                if (f.length != 4) {
                    throw new IllegalArgumentException(file + " line " + line + ": " + f.length
                            + " tab-separated fields; ml-100k's u.data has 4 (user, item, rating, timestamp)");
                }
                handler.row(id(file, line, "user", f[0].trim()), id(file, line, "item", f[1].trim()), rating(file, line, f[2].trim()),
                        timestamp(file, line, f[3].trim()), line);
            }
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text");
        }
    }

    private static int find(Path file, List<String> header, List<String> names, boolean required) {
        for (String n : names) {
            int k = header.indexOf(n);
            if (k >= 0) {
                return k;
            }
        }
        if (required) {
            throw new IllegalArgumentException(file + " line 1: no column " + String.join(" or ", names.stream().map(n -> "'" + n + "'").toList())
                    + "; the columns are " + JsonFields.printable(String.valueOf(header)) + " (interactions need user, item, optionally rating and timestamp)");
        }
        return -1;
    }

    private static String id(Path file, int line, String what, String v) {
        if (v.isEmpty()) {
            throw new IllegalArgumentException(file + " line " + line + ": the " + what + " id is empty");
        }
        return v;
    }

    private static float rating(Path file, int line, String v) {
        float r;
        try {
            r = Float.parseFloat(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + " line " + line + ": rating '" + JsonFields.printable(v) + "' is not a number");
        }
        if (!Float.isFinite(r)) {
            throw new IllegalArgumentException(file + " line " + line + ": rating '" + JsonFields.printable(v) + "' is not a finite number");
        }
        return r;
    }

    private static long timestamp(Path file, int line, String v) {
        try {
            long t = Long.parseLong(v);
            if (t == Interactions.NO_TIME) {
                throw new NumberFormatException();
            }
            return t;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + " line " + line + ": timestamp '" + JsonFields.printable(v) + "' is not a whole number (seconds since 1970)");
        }
    }
}
