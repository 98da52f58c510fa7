package org.omomi.recommend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who interacted with what: the index of users and items (raw id ↔ dense index 0…n−1) and one
 * record per interaction — user, item, rating (1 for implicit feedback) and, when the data has
 * them, a timestamp. Immutable.
 *
 * <p>Indices follow the ids' order — numeric when every id is a whole number (MovieLens, generated
 * data: user "2" before "10"), else by string — so the same ids give the same indices whatever the
 * file's row order. A (user, item) pair that appears more than once is kept once, at its latest
 * interaction (the last row among equal times): an implicit log repeats pairs, and a ranking
 * evaluation must not hold out an item the user also has in training.
 */
public final class Interactions {

    /** Timestamps of data that has none. */
    public static final long NO_TIME = Long.MIN_VALUE;

    private final Ids users;
    private final Ids items;
    private final int[] user;
    private final int[] item;
    private final float[] rating;
    private final long[] time; // null without timestamps
    private final int duplicatesDropped;
    private int[][] byUser;

    private Interactions(Ids users, Ids items, int[] user, int[] item, float[] rating, long[] time, int duplicatesDropped) {
        this.users = users;
        this.items = items;
        this.user = user;
        this.item = item;
        this.rating = rating;
        this.time = time;
        this.duplicatesDropped = duplicatesDropped;
    }

    /** Raw ids ↔ dense indices, in the ids' natural order (numeric when every id is a whole number). */
    public static final class Ids {
        private final String what;
        private final List<String> ids;
        private final Map<String, Integer> index;

        private Ids(String what, List<String> ids) {
            this.what = what;
            this.ids = List.copyOf(ids);
            this.index = new HashMap<>(ids.size() * 2);
            for (int i = 0; i < ids.size(); i++) {
                if (index.put(ids.get(i), i) != null) {
                    throw new IllegalArgumentException(what + " '" + ids.get(i) + "' is listed twice");
                }
            }
        }

        /** These ids, in this order, as indices 0…n−1. */
        public static Ids of(String what, List<String> ids) {
            return new Ids(what, ids);
        }

        /** The distinct ids, sorted as {@link Interactions} sorts them. */
        static Ids sorted(String what, java.util.Collection<String> distinct) {
            List<String> l = new ArrayList<>(distinct);
            boolean numeric = l.stream().allMatch(Interactions::isWholeNumber);
            l.sort(numeric ? Comparator.comparingLong(Long::parseLong) : Comparator.naturalOrder());
            return new Ids(what, l);
        }

        public int size() {
            return ids.size();
        }

        /** The raw id of index i. */
        public String id(int i) {
            return ids.get(i);
        }

        public List<String> ids() {
            return ids;
        }

        /** Whether this id is known. */
        public boolean contains(String id) {
            return index.containsKey(id);
        }

        /** The index of a raw id; an unknown id is an error that says how many there are and shows a few. */
        public int index(String id) {
            Integer i = index.get(id);
            if (i == null) {
                throw new IllegalArgumentException("unknown " + what + " '" + id + "': the data has " + ids.size() + " " + what + "s ("
                        + String.join(", ", ids.subList(0, Math.min(5, ids.size()))) + (ids.size() > 5 ? ", …" : "") + ")");
            }
            return i;
        }

        /** The index of a raw id, or −1. */
        public int indexOrMinusOne(String id) {
            Integer i = index.get(id);
            return i == null ? -1 : i;
        }
    }

    static boolean isWholeNumber(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9' || (i == 0 && c == '0' && s.length() > 1)) {
                return false;
            }
        }
        return true;
    }

    /** Collects rows of raw ids, then indexes them. */
    public static final class Builder {
        private final List<String> userIds = new ArrayList<>();
        private final List<String> itemIds = new ArrayList<>();
        private float[] ratings = new float[1024];
        private long[] times = new long[1024];
        private int n;
        private Boolean timed;

        /** One interaction; {@code time} is {@link #NO_TIME} for data without timestamps (all rows alike). */
        public Builder add(String user, String item, float rating, long time) {
            boolean hasTime = time != NO_TIME;
            if (timed == null) {
                timed = hasTime;
            } else if (timed != hasTime) {
                throw new IllegalArgumentException("some interactions have a timestamp and some do not");
            }
            if (n == ratings.length) {
                ratings = Arrays.copyOf(ratings, n * 2);
                times = Arrays.copyOf(times, n * 2);
            }
            userIds.add(user);
            itemIds.add(item);
            ratings[n] = rating;
            times[n] = time;
            n++;
            return this;
        }

        public int size() {
            return n;
        }

        /** The index, with users and items sorted by id and repeated pairs kept at their latest interaction. */
        public Interactions build() {
            if (n == 0) {
                throw new IllegalArgumentException("no interactions");
            }
            Ids users = Ids.sorted("user", new java.util.HashSet<>(userIds));
            Ids items = Ids.sorted("item", new java.util.HashSet<>(itemIds));
            return index(users, items);
        }

        /** The index over given id lists (a trained run's), every row's ids must be among them. */
        public Interactions build(Ids users, Ids items) {
            return index(users, items);
        }

        private Interactions index(Ids users, Ids items) {
            int[] u = new int[n];
            int[] it = new int[n];
            for (int k = 0; k < n; k++) {
                u[k] = users.index(userIds.get(k));
                it[k] = items.index(itemIds.get(k));
            }
            boolean hasTime = Boolean.TRUE.equals(timed);
            // Keep each (user, item) pair once: its latest row (largest time, then the later row).
            Map<Long, Integer> latest = new HashMap<>(n * 2);
            for (int k = 0; k < n; k++) {
                long key = (long) u[k] * items.size() + it[k];
                Integer prev = latest.get(key);
                if (prev == null || !hasTime || times[k] >= times[prev]) {
                    latest.put(key, k);
                }
            }
            int kept = latest.size();
            boolean[] keep = new boolean[n];
            latest.values().forEach(k -> keep[k] = true);
            int[] ku = new int[kept];
            int[] ki = new int[kept];
            float[] kr = new float[kept];
            long[] kt = hasTime ? new long[kept] : null;
            int j = 0;
            for (int k = 0; k < n; k++) {
                if (keep[k]) {
                    ku[j] = u[k];
                    ki[j] = it[k];
                    kr[j] = ratings[k];
                    if (kt != null) {
                        kt[j] = times[k];
                    }
                    j++;
                }
            }
            return new Interactions(users, items, ku, ki, kr, kt, n - kept);
        }
    }

    /** Interactions over index arrays that are already dense (generated data, a subset); arrays are not copied. */
    static Interactions of(Ids users, Ids items, int[] user, int[] item, float[] rating, long[] time) {
        return new Interactions(users, items, user, item, rating, time, 0);
    }

    /** These interactions' rows at the given positions, over the same index. */
    public Interactions subset(int[] rows) {
        int[] u = new int[rows.length];
        int[] it = new int[rows.length];
        float[] r = new float[rows.length];
        long[] t = time == null ? null : new long[rows.length];
        for (int k = 0; k < rows.length; k++) {
            u[k] = user[rows[k]];
            it[k] = item[rows[k]];
            r[k] = rating[rows[k]];
            if (t != null) {
                t[k] = time[rows[k]];
            }
        }
        return new Interactions(users, items, u, it, r, t, 0);
    }

    public Ids users() {
        return users;
    }

    public Ids items() {
        return items;
    }

    public int userCount() {
        return users.size();
    }

    public int itemCount() {
        return items.size();
    }

    /** Interactions (after repeated pairs were merged). */
    public int size() {
        return user.length;
    }

    /** How many repeated (user, item) rows were merged into their latest. */
    public int duplicatesDropped() {
        return duplicatesDropped;
    }

    public int user(int k) {
        return user[k];
    }

    public int item(int k) {
        return item[k];
    }

    public float rating(int k) {
        return rating[k];
    }

    /** The timestamp of interaction k, or {@link #NO_TIME}. */
    public long time(int k) {
        return time == null ? NO_TIME : time[k];
    }

    public boolean hasTimestamps() {
        return time != null;
    }

    /** Whether the ratings are explicit (not all 1): then matrix factorization has something to predict. */
    public boolean explicit() {
        for (float r : rating) {
            if (r != 1f) {
                return true;
            }
        }
        return false;
    }

    /** The mean rating. */
    public double meanRating() {
        double s = 0;
        for (float r : rating) {
            s += r;
        }
        return s / rating.length;
    }

    /** Per user, the positions of their interactions in time order (equal times in row order). */
    public int[][] byUser() {
        if (byUser == null) {
            int[] counts = new int[users.size()];
            for (int u : user) {
                counts[u]++;
            }
            int[][] out = new int[users.size()][];
            for (int u = 0; u < out.length; u++) {
                out[u] = new int[counts[u]];
            }
            int[] fill = new int[users.size()];
            for (int k = 0; k < user.length; k++) {
                out[user[k]][fill[user[k]]++] = k;
            }
            if (time != null) {
                for (int[] rows : out) {
                    sortByTime(rows);
                }
            }
            byUser = out;
        }
        return byUser;
    }

    private void sortByTime(int[] rows) {
        // Stable by (time, position); rows are already in position order.
        Integer[] boxed = new Integer[rows.length];
        for (int a = 0; a < rows.length; a++) {
            boxed[a] = rows[a];
        }
        Arrays.sort(boxed, Comparator.comparingLong((Integer r) -> time[r]));
        for (int a = 0; a < rows.length; a++) {
            rows[a] = boxed[a];
        }
    }

    /** Interactions per item: its popularity. */
    public int[] itemCounts() {
        int[] c = new int[items.size()];
        for (int i : item) {
            c[i]++;
        }
        return c;
    }

    /** Per user, the set of items they interacted with, as a sorted array (for exclusion and negative sampling). */
    public int[][] itemsByUser() {
        int[][] rows = byUser();
        int[][] out = new int[rows.length][];
        for (int u = 0; u < rows.length; u++) {
            int[] s = new int[rows[u].length];
            for (int k = 0; k < s.length; k++) {
                s[k] = item[rows[u][k]];
            }
            Arrays.sort(s);
            out[u] = s;
        }
        return out;
    }
}
