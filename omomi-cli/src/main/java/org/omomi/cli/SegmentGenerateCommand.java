package org.omomi.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.omomi.data.Csv;
import org.omomi.io.AtomicFile;
import org.omomi.segment.Synthetic;
import org.omomi.tensor.Rng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code omomi segment generate}: a customer table (or transaction log) with planted segments. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Write a customer table with planted business segments in 2 features (visits_per_month, basket_value),",
            "a stronger, unrelated channel grouping in 6 others, noise features, and the true 'segment' column.",
            "--transactions writes a transaction log (customer_id, date, amount, type) from 4 planted customer types instead."})
final class SegmentGenerateCommand implements Callable<Integer> {

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--customers", defaultValue = "2000", paramLabel = "N", description = "Customers (default: ${DEFAULT-VALUE}).")
    int customers;

    @Option(names = "--transactions", description = "Write a transaction log instead of a customer table.")
    boolean transactions;

    @Option(names = "--as-of", defaultValue = "2025-01-01", paramLabel = "DATE",
            description = "With --transactions: the log covers the 365 days up to this date (default: ${DEFAULT-VALUE}).")
    String asOf;

    @Option(names = "--pairs", paramLabel = "FILE.csv",
            description = "Also write 300 must-link / cannot-link pairs among a random 20% of the customers (columns a, b, link).")
    Path pairs;

    @Option(names = "--out", required = true, paramLabel = "FILE.csv", description = "The file to write.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (customers < 1) {
            throw new IllegalArgumentException("--customers must be at least 1, got " + customers);
        }
        if (transactions && pairs != null) {
            throw new IllegalArgumentException("--pairs goes with a customer table, not --transactions");
        }
        Rng rng = new Rng(seed);
        Csv.Table t;
        if (transactions) {
            LocalDate date;
            try {
                date = LocalDate.parse(asOf.strip());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--as-of: '" + asOf + "' is not a date (expected YYYY-MM-DD)");
            }
            t = Synthetic.transactions(customers, date, rng);
        } else {
            t = Synthetic.customers(customers, rng);
        }
        write(out, Csv.format(t.header(), t.rows()));
        PrintWriter pw = spec.commandLine().getOut();
        pw.printf(Locale.ROOT, "wrote %s: %d %s%n", out, t.rows().size(), transactions ? "transactions of " + customers + " customers" : "customers");
        if (pairs != null) {
            Csv.Table p = pairs(t, rng.split());
            write(pairs, Csv.format(p.header(), p.rows()));
            pw.printf(Locale.ROOT, "wrote %s: %d pairs%n", pairs, p.rows().size());
        }
        pw.flush();
        return 0;
    }

    /** 300 random pairs (fewer for tiny tables) among a seeded 20% of the customers, linked by their true segment. */
    static Csv.Table pairs(Csv.Table customers, Rng rng) {
        int n = customers.rows().size();
        int m = Math.max(2, n / 5);
        if (n < 2) {
            throw new IllegalArgumentException("--pairs needs at least two customers");
        }
        int[] chosen = java.util.Arrays.copyOf(rng.permutation(n), Math.min(m, n));
        int seg = customers.column(Synthetic.SEGMENT_COLUMN);
        List<String[]> rows = new ArrayList<>();
        for (int p = 0; p < 300; p++) {
            int a = chosen[rng.nextInt(chosen.length)];
            int b;
            do {
                b = chosen[rng.nextInt(chosen.length)];
            } while (b == a);
            String[] ra = customers.rows().get(a);
            String[] rb = customers.rows().get(b);
            rows.add(new String[] {ra[0], rb[0], ra[seg].equals(rb[seg]) ? "must" : "cannot"});
        }
        return new Csv.Table(Path.of("pairs.csv"), List.of("a", "b", "link"), rows, new int[rows.size()]);
    }

    static void write(Path file, String text) throws java.io.IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        AtomicFile.writeString(file, text);
    }
}
