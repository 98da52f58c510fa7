package org.omomi.recommend;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.data.Csv;
import org.omomi.io.JsonFields;

/**
 * What an item is, for people: its title and genres, by raw item id. Read from a CSV with the
 * columns {@code item} (or {@code movieId}), {@code title} and optionally {@code genres}
 * ({@code |}-separated, as MovieLens's ml-latest {@code movies.csv}), or from ml-100k's
 * {@code u.item} (pipe-separated, Latin-1, 19 genre flags). Generated data writes such a file with
 * the planted group as the genre. Items without an entry show as their id.
 */
public final class ItemCatalog {

    /** One item's display data. */
    public record Entry(String title, List<String> genres) {
        public Entry {
            genres = List.copyOf(genres);
        }
    }

    /** ml-100k's genre flags, in u.item's column order (u.genre). */
    static final List<String> ML100K_GENRES = List.of("unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime",
            "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western");

    private final Map<String, Entry> entries;

    private ItemCatalog(Map<String, Entry> entries) {
        this.entries = entries;
    }

    /** A catalog with no entries: every item shows as its id. */
    public static ItemCatalog empty() {
        return new ItemCatalog(Map.of());
    }

    /** These entries by raw id. */
    public static ItemCatalog of(Map<String, Entry> entries) {
        return new ItemCatalog(new LinkedHashMap<>(entries));
    }

    /** Reads a catalog: {@code u.item} when the file is named so, CSV otherwise. */
    public static ItemCatalog read(Path file) throws IOException {
        if (file.getFileName() != null && file.getFileName().toString().equals("u.item")) {
            return readMl100k(file);
        }
        Map<String, Entry> m = new LinkedHashMap<>();
        try (Csv.Reader r = Csv.stream(file)) {
            int item = r.header().indexOf("item") >= 0 ? r.column("item") : r.header().indexOf("movieId");
            if (item < 0) {
                throw new IllegalArgumentException(file + " line 1: no column 'item' or 'movieId'; the columns are "
                        + JsonFields.printable(String.valueOf(r.header())));
            }
            int title = r.header().indexOf("title");
            int genres = r.header().indexOf("genres");
            for (Csv.Row row = r.next(); row != null; row = r.next()) {
                String[] f = row.fields();
                String id = f[item];
                if (id.isEmpty()) {
                    throw new IllegalArgumentException(file + " line " + row.line() + ": the item id is empty");
                }
                List<String> g = genres < 0 || f[genres].isEmpty() || f[genres].equals("(no genres listed)")
                        ? List.of() : Arrays.asList(f[genres].split("\\|"));
                m.put(id, new Entry(title < 0 ? id : f[title], g));
            }
        }
        return new ItemCatalog(m);
    }

    private static ItemCatalog readMl100k(Path file) throws IOException {
        Map<String, Entry> m = new LinkedHashMap<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            int line = 0;
            for (String s = r.readLine(); s != null; s = r.readLine()) {
                line++;
                if (s.isBlank()) {
                    continue;
                }
                String[] f = s.split("\\|", -1);
                if (f.length != 5 + ML100K_GENRES.size()) {
                    throw new IllegalArgumentException(file + " line " + line + ": " + f.length + " |-separated fields; ml-100k's u.item has "
                            + (5 + ML100K_GENRES.size()) + " (id, title, dates, URL, 19 genre flags)");
                }
                List<String> g = new ArrayList<>();
                for (int k = 0; k < ML100K_GENRES.size(); k++) {
                    String flag = f[5 + k].trim();
                    if (!flag.equals("0") && !flag.equals("1")) {
                        throw new IllegalArgumentException(file + " line " + line + ": genre flag " + (k + 1) + " is '" + JsonFields.printable(flag) + "', not 0 or 1");
                    }
                    if (flag.equals("1")) {
                        g.add(ML100K_GENRES.get(k));
                    }
                }
                m.put(f[0].trim(), new Entry(f[1], g));
            }
        }
        return new ItemCatalog(m);
    }

    /** The title of an item, or its id when the catalog has none. */
    public String title(String id) {
        Entry e = entries.get(id);
        return e == null ? id : e.title();
    }

    /** The genres of an item, or an empty list. */
    public List<String> genres(String id) {
        Entry e = entries.get(id);
        return e == null ? List.of() : e.genres();
    }

    /** Whether the catalog describes this item. */
    public boolean has(String id) {
        return entries.containsKey(id);
    }

    public int size() {
        return entries.size();
    }

    /** The catalog restricted to these ids, as CSV text (item,title,genres), in their order: a run folder's items.csv. */
    public String csv(List<String> ids) {
        List<String[]> rows = new ArrayList<>();
        for (String id : ids) {
            rows.add(new String[] {id, title(id), String.join("|", genres(id))});
        }
        return Csv.format(List.of("item", "title", "genres"), rows);
    }
}
