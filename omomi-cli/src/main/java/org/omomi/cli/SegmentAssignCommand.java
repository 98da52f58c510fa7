package org.omomi.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.omomi.data.Csv;
import org.omomi.segment.SegmentFolder;
import org.omomi.segment.SegmentModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code omomi segment assign}: new customers into saved segments. */
@Command(name = "assign", mixinStandardHelpOptions = true,
        description = {"Put new customers into the segments saved in DIR (by 'omomi segment'): the same columns, scaling and",
            "distance, each customer to the nearest centre. Writes the id column (or row), segment and distance."})
final class SegmentAssignCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "A folder written by 'omomi segment'.")
    Path dir;

    @Option(names = "--data", required = true, paramLabel = "NEW.csv", description = "The new customers (the columns the segments were made from).")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "FILE.csv", description = "Where to write their segments.")
    Path out;

    @Option(names = "--explain", paramLabel = "ID", description = "Also write customer-ID.json and .png beside FILE.csv: which features pulled this customer in.")
    String explain;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SegmentModel model = SegmentModel.read(dir);
        Csv.Table table = Csv.read(SegmentCommand.existing(data));
        SegmentModel.Assignment a = model.assign(table);
        Path parent = out.toAbsolutePath().getParent();
        java.nio.file.Files.createDirectories(parent);
        SegmentFolder.writeSegments(out, model.schema().idColumn(), a.customers().ids(), a.segments(), a.distances());
        List<String> written = new ArrayList<>(List.of(out.toString()));
        if (explain != null) {
            int row = a.customers().ids().indexOf(explain);
            if (row < 0) {
                throw new IllegalArgumentException("--explain: no customer '" + explain + "' in " + data);
            }
            SegmentModel.Explanation e = model.explain(a.scaled().slice(0, row, row + 1).contiguous(), a.customers().features());
            for (Path p : SegmentFolder.writeExplanation(parent, explain, e)) {
                written.add(p.toString());
            }
        }
        int[] sizes = new int[model.k()];
        for (int s : a.segments()) {
            sizes[s]++;
        }
        PrintWriter pw = spec.commandLine().getOut();
        pw.printf("%d customers into %d segments: sizes %s%n", a.segments().length, model.k(), java.util.Arrays.toString(sizes));
        pw.println("wrote " + String.join(", ", written));
        pw.flush();
        return 0;
    }
}
