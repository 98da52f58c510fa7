package org.omomi.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.omomi.dashboard.Dashboard;
import org.omomi.train.Callback;
import picocli.CommandLine.Option;

/**
 * {@code omomi train --dashboard[=PORT]}: serves the run being trained on the dashboard, with its
 * curves fed live, and keeps serving after training until Ctrl-C. A mixin, so that the training
 * command needs only to ask it for a callback and to let it finish.
 */
final class DashboardOption {

    @Option(names = "--dashboard", arity = "0..1", fallbackValue = "8080", paramLabel = "PORT",
            description = "Serve the run's live page at http://127.0.0.1:PORT/ while it trains (default port 8080, or a free one when"
                    + " it is taken), and keep serving after training until Ctrl-C.")
    Integer port;

    private Dashboard server;

    /** The live feed of the run in {@code runDir} (the server started and its URL printed), or a callback that does nothing. */
    Callback start(Path runDir, PrintWriter out) {
        if (port == null) {
            return new Callback() {};
        }
        Dashboard.Options o = Dashboard.Options.defaults().withRuns(java.util.List.of(runDir)).withPort(port);
        try {
            server = Dashboard.start(o);
        } catch (IllegalArgumentException e) {
            server = Dashboard.start(o.withPort(0)); // the port is taken: any free one will do, the URL says which
        }
        out.println("dashboard: " + server.runUrl(runDir));
        out.flush();
        return server.feed(runDir);
    }

    /** After training: keeps the page up until Ctrl-C (or an interrupt), then stops the server. */
    void finish(PrintWriter out) {
        if (server == null) {
            return;
        }
        out.println("training done; the dashboard stays at " + server.url() + " until Ctrl-C");
        out.flush();
        Thread main = Thread.currentThread();
        Thread hook = new Thread(main::interrupt);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            // stopping
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already
            }
            server.close();
        }
    }
}
