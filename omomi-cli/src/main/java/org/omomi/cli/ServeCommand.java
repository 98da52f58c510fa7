package org.omomi.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.omomi.dashboard.Dashboard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code omomi serve}: the dashboard and prediction server over run folders, until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve run folders as a live dashboard (http://HOST:PORT/: runs, curves that follow training, weights,",
            "network, filters, explanations) and their models as a prediction API (POST /api/runs/RUN/predict).",
            "Reads only the folders' files; runs added to --runs-dir appear as they are written. See docs/dashboard.md."})
final class ServeCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "RUN_DIR", description = "Run folders to serve.")
    List<Path> runs = new ArrayList<>();

    @Option(names = "--runs-dir", paramLabel = "DIR", description = "Serve every run folder in DIR (default: ./runs when no RUN_DIR is given).")
    Path runsDir;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every network).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--report", paramLabel = "FILE", description = "The tour's report to link as /tour (default: ./tour-report/index.html when present).")
    Path report;

    @Option(names = "--max-body", defaultValue = "1048576", paramLabel = "BYTES",
            description = "Largest request body accepted; larger ones get 413 (default: ${DEFAULT-VALUE}, 1 MiB).")
    long maxBody;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        for (Path r : runs) {
            if (!Files.isDirectory(r)) {
                throw new IllegalArgumentException(r + ": no such run folder");
            }
            if (!Files.isRegularFile(r.resolve("config.json")) && !Files.isRegularFile(r.resolve("model.json"))
                    && !Files.isRegularFile(r.resolve("history.jsonl")) && !Files.isRegularFile(r.resolve("summary.json"))) {
                throw new IllegalArgumentException(r + ": not a run folder (no config.json, model.json, history.jsonl or summary.json)");
            }
        }
        Path dir = runsDir;
        if (dir == null && runs.isEmpty()) {
            dir = Path.of("runs");
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("nothing to serve: give RUN_DIR… or --runs-dir DIR (there is no ./runs folder)");
            }
        }
        if (dir != null && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + ": no such folder (--runs-dir)");
        }
        if (report != null && !Files.exists(report)) {
            throw new IllegalArgumentException(report + ": no such file (--report)");
        }
        Dashboard.Options o = new Dashboard.Options(host, port, runs, dir, report, maxBody);
        PrintWriter pw = spec.commandLine().getOut();
        try (Dashboard d = Dashboard.start(o)) {
            pw.println("omomi dashboard at " + d.url() + " (prediction API: " + d.url() + "api/runs); Ctrl-C stops it");
            pw.flush();
            Thread main = Thread.currentThread();
            Thread hook = new Thread(main::interrupt);
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                Thread.sleep(Long.MAX_VALUE); // until Ctrl-C, or a test interrupts
            } catch (InterruptedException e) {
                // stopping
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down already
                }
            }
        }
        return 0;
    }
}
