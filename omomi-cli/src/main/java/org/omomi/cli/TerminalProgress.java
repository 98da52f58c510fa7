package org.omomi.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.omomi.ctr.Progress;

/** A one-line progress report for passes over a file, redrawn in place on a terminal only (logs and pipes stay clean). */
final class TerminalProgress implements Progress {

    private final PrintStream out;
    private long lastDraw;
    private boolean drawn;

    private TerminalProgress(PrintStream out) {
        this.out = out;
    }

    /** A bar on standard error when there is a terminal, else {@link Progress#NONE}. */
    static Progress onTerminal() {
        return System.console() == null ? Progress.NONE : new TerminalProgress(System.err);
    }

    @Override
    public void update(String task, long done, long total) {
        long now = System.nanoTime();
        if (now - lastDraw < 100_000_000L) {
            return; // at most ten redraws a second
        }
        lastDraw = now;
        if (total > 0) {
            int width = 30;
            int filled = (int) (width * Math.min(1, (double) done / total));
            out.printf(Locale.ROOT, "\r%s [%s%s] %,d/%,d rows", task, "=".repeat(filled), " ".repeat(width - filled), done, total);
        } else {
            out.printf(Locale.ROOT, "\r%s: %,d rows", task, done);
        }
        out.flush();
        drawn = true;
    }

    @Override
    public void done() {
        if (drawn) {
            out.print("\r" + " ".repeat(79) + "\r");
            out.flush();
            drawn = false;
        }
    }
}
