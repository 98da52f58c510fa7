package org.omomi.segment;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.data.Csv;

/**
 * Recency, frequency and monetary value (RFM; Hughes 1994) of each customer from a transaction
 * log, as of a given date. Transactions dated after that date are left out (they had not happened
 * yet), and so are customers with none before it.
 * <ul>
 * <li><b>recency_days</b>: days from the customer's last purchase to the as-of date (0 when they
 *     bought on that day);</li>
 * <li><b>frequency</b>: the number of purchases (transactions) up to the as-of date;</li>
 * <li><b>monetary</b>: the total amount spent up to the as-of date, summed exactly in decimal.</li>
 * </ul>
 * Dates are ISO dates ({@code 2025-03-31}) or date-times ({@code 2025-03-31T14:05:00}, the time
 * ignored). Customers come out in the order they first appear in the log.
 */
public final class Rfm {

    /** The output columns after the customer id. */
    public static final List<String> FEATURES = List.of("recency_days", "frequency", "monetary");

    /** One customer's RFM values. */
    public record Row(String customer, long recencyDays, long frequency, BigDecimal monetary) {}

    /** The log's column names; {@link #defaults()} is customer_id, date, amount. */
    public record Columns(String customer, String date, String amount) {
        public static Columns defaults() {
            return new Columns("customer_id", "date", "amount");
        }
    }

    private Rfm() {}

    /** The RFM rows of the log's customers; errors name the file, line and column. */
    public static List<Row> of(Csv.Table log, LocalDate asOf, Columns columns) {
        int c = log.column(columns.customer());
        int d = log.column(columns.date());
        int a = log.column(columns.amount());
        Map<String, long[]> lastAndCount = new LinkedHashMap<>();
        Map<String, BigDecimal> spent = new LinkedHashMap<>();
        for (int r = 0; r < log.rows().size(); r++) {
            String[] row = log.rows().get(r);
            String id = row[c].strip();
            if (id.isEmpty()) {
                throw new IllegalArgumentException(where(log, r, columns.customer()) + ": the customer is empty");
            }
            LocalDate date = date(log, r, d);
            BigDecimal amount = amount(log, r, a);
            if (date.isAfter(asOf)) {
                continue;
            }
            long day = date.toEpochDay();
            long[] lc = lastAndCount.computeIfAbsent(id, key -> new long[] {Long.MIN_VALUE, 0});
            lc[0] = Math.max(lc[0], day);
            lc[1]++;
            spent.merge(id, amount, BigDecimal::add);
        }
        if (lastAndCount.isEmpty()) {
            throw new IllegalArgumentException(log.file() + ": no transaction on or before " + asOf);
        }
        List<Row> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : lastAndCount.entrySet()) {
            long recency = ChronoUnit.DAYS.between(LocalDate.ofEpochDay(e.getValue()[0]), asOf);
            out.add(new Row(e.getKey(), recency, e.getValue()[1], spent.get(e.getKey())));
        }
        return out;
    }

    /**
     * The RFM rows as a customer table: the customer column, {@link #FEATURES}, then each column
     * of {@code keep} (a customer attribute such as a region, which must be the same on all of
     * the customer's transactions up to the as-of date).
     */
    public static Csv.Table table(Csv.Table log, LocalDate asOf, Columns columns, List<String> keep) {
        List<Row> rows = of(log, asOf, columns);
        int c = log.column(columns.customer());
        int d = log.column(columns.date());
        int[] kept = new int[keep.size()];
        for (int i = 0; i < kept.length; i++) {
            kept[i] = log.column(keep.get(i));
        }
        Map<String, String[]> attributes = new LinkedHashMap<>();
        Map<String, Integer> firstLine = new LinkedHashMap<>();
        for (int r = 0; r < log.rows().size(); r++) {
            String[] row = log.rows().get(r);
            if (date(log, r, d).isAfter(asOf)) {
                continue;
            }
            String id = row[c].strip();
            String[] values = new String[kept.length];
            for (int i = 0; i < kept.length; i++) {
                values[i] = row[kept[i]].strip();
            }
            String[] before = attributes.putIfAbsent(id, values);
            firstLine.putIfAbsent(id, log.lines()[r]);
            if (before != null) {
                for (int i = 0; i < kept.length; i++) {
                    if (!before[i].equals(values[i])) {
                        throw new IllegalArgumentException(where(log, r, keep.get(i)) + ": customer '" + id + "' has '" + values[i]
                                + "' here but '" + before[i] + "' on line " + firstLine.get(id) + "; a kept column must not change");
                    }
                }
            }
        }
        List<String> header = new ArrayList<>();
        header.add(columns.customer());
        header.addAll(FEATURES);
        header.addAll(keep);
        List<String[]> out = new ArrayList<>();
        for (Row row : rows) {
            List<String> f = new ArrayList<>();
            f.add(row.customer());
            f.add(Long.toString(row.recencyDays()));
            f.add(Long.toString(row.frequency()));
            f.add(row.monetary().toPlainString());
            for (String v : attributes.get(row.customer())) {
                f.add(v);
            }
            out.add(f.toArray(new String[0]));
        }
        return Synthetic.table(Path.of(log.file() + " (RFM)"), header, out);
    }

    private static LocalDate date(Csv.Table log, int r, int column) {
        String v = log.rows().get(r)[column].strip();
        try {
            return v.length() > 10 ? LocalDateTime.parse(v).toLocalDate() : LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where(log, r, log.header().get(column)) + ": '" + org.omomi.io.JsonFields.printable(v)
                    + "' is not a date (expected YYYY-MM-DD)");
        }
    }

    private static BigDecimal amount(Csv.Table log, int r, int column) {
        String v = log.rows().get(r)[column].strip();
        BigDecimal d = null;
        if (Schema.isNumber(v)) {
            try {
                d = new BigDecimal(v);
            } catch (NumberFormatException e) {
                // Double reads some text BigDecimal does not ("1d", a trailing control character): refused below
            }
        }
        // An amount is money: beyond 100 digits either side of the point it is not one, and sums of
        // such numbers in exact arithmetic would cost memory and time without bound (1e999999999).
        if (d == null || Math.abs(d.scale()) > 100 || d.precision() - d.scale() > 100) {
            throw new IllegalArgumentException(where(log, r, log.header().get(column)) + ": '" + org.omomi.io.JsonFields.printable(v) + "' is not an amount");
        }
        return d;
    }

    private static String where(Csv.Table log, int r, String column) {
        return log.file() + " line " + log.lines()[r] + ", column '" + org.omomi.io.JsonFields.printable(column) + "'";
    }
}
