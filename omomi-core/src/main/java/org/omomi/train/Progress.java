package org.omomi.train;

import java.io.PrintStream;

/**
 * A one-line progress bar redrawn in place, shown only when standard output is a terminal, so logs
 * and pipes stay clean.
 */
abstract class Progress {

    abstract void update(int epoch, int epochs, int batch, int batches, double loss);

    abstract void done();

    static Progress none() {
        return new Progress() {
            @Override
            void update(int epoch, int epochs, int batch, int batches, double loss) {
            }

            @Override
            void done() {
            }
        };
    }

    static Progress onTerminal(PrintStream out) {
        if (System.console() == null) {
            return none();
        }
        return new Progress() {
            private long lastDraw;
            private boolean drawn;

            @Override
            void update(int epoch, int epochs, int batch, int batches, double loss) {
                long now = System.nanoTime();
                if (batch != batches && now - lastDraw < 100_000_000L) {
                    return; // at most ten redraws a second
                }
                lastDraw = now;
                int width = 30;
                int filled = (int) ((long) width * batch / Math.max(1, batches));
                out.printf("\repoch %d/%d [%s%s] %d/%d loss %.4f", epoch, epochs, "=".repeat(filled),
                        " ".repeat(width - filled), batch, batches, loss);
                out.flush();
                drawn = true;
            }

            @Override
            void done() {
                if (drawn) {
                    out.print("\r" + " ".repeat(79) + "\r");
                    out.flush();
                    drawn = false;
                }
            }
        };
    }
}
