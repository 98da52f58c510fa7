package org.omomi.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import org.omomi.data.Csv;
import org.omomi.segment.Rfm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code omomi segment rfm}: recency, frequency and monetary value per customer from a transaction log. */
@Command(name = "rfm", mixinStandardHelpOptions = true,
        description = {"Turn a transaction log (customer, date, amount) into one row per customer: recency_days (days since the last",
            "purchase), frequency (purchases) and monetary (total spent), as of a date; later transactions are left out.",
            "Segment the result with 'omomi segment --data FILE --scaling log'."})
final class SegmentRfmCommand implements Callable<Integer> {

    @Option(names = "--transactions", required = true, paramLabel = "FILE.csv", description = "The transaction log.")
    Path transactions;

    @Option(names = "--as-of", required = true, paramLabel = "DATE", description = "The date the values are computed at (YYYY-MM-DD).")
    String asOf;

    @Option(names = "--customer", defaultValue = "customer_id", paramLabel = "COL", description = "The customer column (default: ${DEFAULT-VALUE}).")
    String customer;

    @Option(names = "--date", defaultValue = "date", paramLabel = "COL", description = "The date column (default: ${DEFAULT-VALUE}).")
    String date;

    @Option(names = "--amount", defaultValue = "amount", paramLabel = "COL", description = "The amount column (default: ${DEFAULT-VALUE}).")
    String amount;

    @Option(names = "--keep", split = ",", paramLabel = "COL",
            description = "Customer attributes to carry over (each must be the same on all of a customer's transactions).")
    List<String> keep;

    @Option(names = "--out", required = true, paramLabel = "FILE.csv", description = "The customer table to write.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LocalDate day;
        try {
            day = LocalDate.parse(asOf.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--as-of: '" + asOf + "' is not a date (expected YYYY-MM-DD)");
        }
        Csv.Table log = Csv.read(SegmentCommand.existing(transactions));
        Csv.Table t = Rfm.table(log, day, new Rfm.Columns(customer, date, amount), keep == null ? List.of() : keep);
        SegmentGenerateCommand.write(out, Csv.format(t.header(), t.rows()));
        PrintWriter pw = spec.commandLine().getOut();
        pw.printf("wrote %s: %d customers as of %s (from %d transactions)%n", out, t.rows().size(), day, log.rows().size());
        pw.flush();
        return 0;
    }
}
